-- Row-level security: the functions are SECURITY INVOKER and their queries
-- run as the caller, so an app's RLS policies decide which rows they return,
-- exactly as for the seed's SQL functions run by the same role. The policies
-- are an app's: own rows, system rows (user_ref NULL), public rows; public
-- and own private tunes; own playlists and genre selections. The user is
-- u1 (request.jwt.claims); the caller check is off so the function can be
-- asked for u2 and u9 too, which is what RLS must stop on its own. Genre
-- discovery for them is refused (42501): the policies hide their selections,
-- and the empty filter the seed's SQL silently computes would tell a worker
-- to remove their rows.

CREATE ROLE gs_test_app NOLOGIN;
CREATE ROLE gs_test_no_select NOLOGIN;
GRANT USAGE ON SCHEMA regress, seed TO gs_test_app, gs_test_no_select;
GRANT SELECT ON note, reference, tune, playlist, playlist_tune, user_genre_selection, genre
    TO gs_test_app;
GRANT SELECT ON reference, tune, playlist, playlist_tune, user_genre_selection, genre
    TO gs_test_no_select;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO gs_test_app, gs_test_no_select;


ALTER TABLE note ENABLE ROW LEVEL SECURITY;
ALTER TABLE reference ENABLE ROW LEVEL SECURITY;
ALTER TABLE tune ENABLE ROW LEVEL SECURITY;
ALTER TABLE playlist ENABLE ROW LEVEL SECURITY;
ALTER TABLE playlist_tune ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_genre_selection ENABLE ROW LEVEL SECURITY;
CREATE POLICY app_read ON note FOR SELECT
    USING (user_ref IS NULL OR user_ref = regress.jwt_uid() OR public);
CREATE POLICY app_read ON reference FOR SELECT
    USING (user_ref IS NULL OR user_ref = regress.jwt_uid() OR public);
CREATE POLICY app_read ON tune FOR SELECT
    USING (private_for IS NULL OR private_for = regress.jwt_uid());
CREATE POLICY app_read ON playlist FOR SELECT USING (user_ref = regress.jwt_uid());
CREATE POLICY app_read ON playlist_tune FOR SELECT
    USING (EXISTS (SELECT FROM playlist p
                   WHERE p.playlist_id = playlist_ref AND p.user_ref = regress.jwt_uid()));
CREATE POLICY app_read ON user_genre_selection FOR SELECT USING (user_id = regress.jwt_uid());

-- One call's rows as a jsonb array in the order returned ($1 = the user),
-- or {"error": SQLSTATE}.
CREATE FUNCTION regress.sec_rows(p_call text, p_user uuid) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_rows jsonb;
BEGIN
    EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(r)), ''[]'') FROM (SELECT * FROM %s) AS r',
                   p_call)
        INTO v_rows USING p_user;
    RETURN v_rows;
EXCEPTION WHEN insufficient_privilege THEN
    RETURN jsonb_build_object('error', SQLSTATE);
END
$$;

-- Every row-returning function and both genre functions for one user, by
-- the extension ('public') or the seed's SQL ('seed'), which RLS filters
-- like any query of the role.
CREATE FUNCTION regress.everything(p_source text, p_user uuid)
RETURNS TABLE (fn text, result jsonb) LANGUAGE sql AS $$
    SELECT c.fn, CASE p_source WHEN 'public' THEN regress.sec_rows(c.extension, p_user)
                                             ELSE regress.sec_rows(c.seed, p_user) END
    FROM (VALUES
        ('get_user_notes', 'sync_get_user_notes($1, regress.genres_with_tunes())',
         'seed.sync_get_user_notes($1, regress.genres_with_tunes(), NULL, 1000)'),
        ('get_user_references', 'sync_get_user_references($1, regress.genres_with_tunes())',
         'seed.sync_get_user_references($1, regress.genres_with_tunes(), NULL, 1000)'),
        ('notes_page', 'sync_notes_page($1, NULL)',
         'seed.sync_get_user_notes($1, seed.effective_genres($1), NULL, 1000)'),
        ('references_page', 'sync_references_page($1, NULL, ''-infinity'')',
         'seed.sync_get_user_references($1, seed.effective_genres($1), ''-infinity'', 1000)'),
        ('tunes_page', 'sync_tunes_page($1, regress.genres_with_tunes())',
         'seed.user_tunes($1, regress.genres_with_tunes(), NULL, 1000)'),
        ('playlist_tune_genres', 'unnest(sync_get_playlist_tune_genres($1))',
         'unnest(seed.playlist_tune_genres($1))'),
        ('effective_genres', 'unnest(sync_get_effective_genres($1))',
         'unnest(seed.effective_genres($1))')
    ) AS c(fn, extension, seed)
$$;

-- u1, u2, and u9 who exists nowhere.
CREATE VIEW regress.sec_users AS
SELECT k, CASE WHEN k = 9 THEN md5('nobody')::uuid ELSE regress.u(k) END AS id
FROM unnest(ARRAY[1, 2, 9]) AS k;
GRANT SELECT ON regress.sec_users TO gs_test_app;

-- The superuser sees every row (RLS does not apply to it); these calls also
-- prepare the extension's kept plans, which must not carry the superuser's
-- view over to the app's role.
CREATE TEMP TABLE unfiltered AS
SELECT u.k, e.fn, e.result FROM regress.sec_users u, regress.everything('public', u.id) e;

SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', regress.u(1)), false);
SET genre_sync.enforce_caller_identity = off;
SET ROLE gs_test_app;
CREATE TEMP TABLE filtered AS
SELECT u.k, e.fn, e.result AS extension, s.result AS seed
FROM regress.sec_users u
CROSS JOIN regress.everything('public', u.id) e
JOIN regress.everything('seed', u.id) s USING (fn);
RESET ROLE;

-- The extension returns what the seed returns under the same policies,
-- and RLS took rows away: none of u1's, whose rows the policies show u1;
-- where it discovers u2's and u9's genres, it refuses.
SELECT f.k, f.fn,
       jsonb_array_length(u.result) AS superuser_sees,
       coalesce(f.extension ->> 'error', jsonb_array_length(f.extension)::text) AS app_role_sees,
       f.extension = f.seed AS same_as_seed
FROM filtered f JOIN unfiltered u USING (k, fn)
ORDER BY f.k, f.fn;

-- No row the policies hide: nobody else's private notes and references, no
-- private tune of another user.
SELECT f.fn, count(*) AS hidden_rows_returned
FROM filtered f, jsonb_array_elements(CASE jsonb_typeof(f.extension) WHEN 'array' THEN f.extension END) r
WHERE f.fn IN ('get_user_notes', 'get_user_references', 'notes_page', 'references_page')
  AND r ->> 'user_ref' IS NOT NULL AND r ->> 'user_ref' <> regress.u(1)::text
  AND NOT (r ->> 'public')::boolean
GROUP BY f.fn
UNION ALL
SELECT f.fn, count(*)
FROM filtered f, jsonb_array_elements(CASE jsonb_typeof(f.extension) WHEN 'array' THEN f.extension END) r
WHERE f.fn = 'tunes_page' AND r ->> 'private_for' <> regress.u(1)::text
GROUP BY f.fn;

-- ... while the superuser gets them for u2.
SELECT u.fn, count(*) AS private_rows_of_u2
FROM unfiltered u, jsonb_array_elements(u.result) r
WHERE u.k = 2 AND u.fn IN ('get_user_notes', 'notes_page')
  AND r ->> 'user_ref' = regress.u(2)::text AND NOT (r ->> 'public')::boolean
GROUP BY u.fn ORDER BY u.fn;

-- Back as the superuser, the kept plans see everything again.
SELECT count(*) AS plans_differ
FROM regress.everything('public', regress.u(2)) e JOIN unfiltered u ON u.k = 2 AND u.fn = e.fn
WHERE e.result IS DISTINCT FROM u.result;

-- A role for which RLS would be bypassed silently is refused instead
-- (row_security = off), as for any query.
SET ROLE gs_test_app;
SET row_security = off;
SELECT regress.outcome(format('SELECT count(*) FROM sync_notes_page(%L, NULL)', regress.u(1)));
RESET row_security;

-- A role without SELECT on a table the function reads gets 42501, not an
-- empty page.
SET ROLE gs_test_no_select;
SELECT fn, regress.outcome(q)
FROM (VALUES
    ('sync_get_user_notes', format('SELECT count(*) FROM sync_get_user_notes(%L, ''{irish}'')', regress.u(1))),
    ('sync_notes_page', format('SELECT count(*) FROM sync_notes_page(%L, NULL)', regress.u(1))),
    ('sync_references_page', format('SELECT count(*) FROM sync_references_page(%L, NULL)', regress.u(1))),
    ('sync_get_effective_genres', format('SELECT sync_get_effective_genres(%L)', regress.u(1)))
) AS c(fn, q);
RESET ROLE;
REVOKE SELECT ON playlist_tune FROM gs_test_no_select;
SET ROLE gs_test_no_select;
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(1)));
SELECT regress.outcome(format('SELECT count(*) FROM sync_tunes_page(%L, NULL)', regress.u(1)));
RESET ROLE;

RESET genre_sync.enforce_caller_identity;
SELECT set_config('request.jwt.claims', '', false);
DROP TABLE filtered, unfiltered;
DROP FUNCTION regress.everything(text, uuid), regress.sec_rows(text, uuid);
DROP VIEW regress.sec_users;
DROP POLICY app_read ON note;
DROP POLICY app_read ON reference;
DROP POLICY app_read ON tune;
DROP POLICY app_read ON playlist;
DROP POLICY app_read ON playlist_tune;
DROP POLICY app_read ON user_genre_selection;
ALTER TABLE note DISABLE ROW LEVEL SECURITY;
ALTER TABLE reference DISABLE ROW LEVEL SECURITY;
ALTER TABLE tune DISABLE ROW LEVEL SECURITY;
ALTER TABLE playlist DISABLE ROW LEVEL SECURITY;
ALTER TABLE playlist_tune DISABLE ROW LEVEL SECURITY;
ALTER TABLE user_genre_selection DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM gs_test_app, gs_test_no_select;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM gs_test_app, gs_test_no_select;
REVOKE USAGE ON SCHEMA regress, seed FROM gs_test_app, gs_test_no_select;
DROP ROLE gs_test_app, gs_test_no_select;
