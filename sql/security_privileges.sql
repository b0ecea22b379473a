-- Privileges: CREATE EXTENSION leaves every function of the extension
-- executable by its owner only (PUBLIC gets nothing), the GRANTs README's
-- Security section gives a sync worker and an app's signed-in role are
-- enough for their jobs, and sync_create_indexes() names the ownership it
-- lacks.

CREATE ROLE gs_test_nobody NOLOGIN;
CREATE ROLE gs_test_worker NOLOGIN;
CREATE ROLE gs_test_user NOLOGIN;
GRANT USAGE ON SCHEMA regress TO gs_test_worker, gs_test_user, gs_test_nobody;

-- Nobody but the owner may execute; the extension's table is not PUBLIC's.
SELECT p.oid::regprocedure AS function,
       EXISTS (SELECT FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
               WHERE a.grantee = 0) AS public_may_execute,
       has_function_privilege('gs_test_nobody', p.oid, 'EXECUTE') AS nobody_may_execute
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'genre_sync'
ORDER BY p.proname, 1::text;
SELECT c.oid::regclass AS relation,
       has_table_privilege('gs_test_nobody', c.oid, 'SELECT, INSERT, UPDATE, DELETE') AS nobody_may_use
FROM pg_class c
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'genre_sync'
ORDER BY 1::text;

SET ROLE gs_test_nobody;
SELECT regress.outcome(format('SELECT count(*) FROM sync_notes_page(%L, NULL)', regress.u(1)));
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(1)));
RESET ROLE;

-- README: the sync worker (trusted: it syncs for every user).
GRANT SELECT ON tune, note, reference, playlist, playlist_tune, user_genre_selection,
                sync_horizon_publication, sync_key_note, sync_key_reference TO gs_test_worker;
GRANT EXECUTE ON FUNCTION sync_get_effective_genres, sync_get_playlist_tune_genres,
                          sync_notes_page, sync_references_page, sync_tunes_page,
                          sync_get_user_notes, sync_get_user_references,
                          sync_pull, sync_range_checksum, sync_partition_bounds,
                          sync_safe_horizon
    TO gs_test_worker;
-- README: the role a gateway switches to for a signed-in user (with the
-- caller check on, it syncs for the claims' "sub" only).
GRANT SELECT ON tune, note, reference, playlist, playlist_tune, user_genre_selection,
                sync_horizon_publication TO gs_test_user;
GRANT EXECUTE ON FUNCTION sync_get_effective_genres, sync_get_playlist_tune_genres,
                          sync_notes_page, sync_references_page, sync_tunes_page,
                          sync_pull, sync_range_checksum, sync_partition_bounds,
                          sync_safe_horizon
    TO gs_test_user;

CREATE FUNCTION regress.privilege_outcomes(p_user uuid)
RETURNS TABLE (fn text, outcome text) LANGUAGE sql AS $$
    SELECT f, regress.outcome(format(q, p_user))
    FROM (VALUES
        ('sync_get_user_notes', 'SELECT count(*) FROM sync_get_user_notes(%L, ''{irish}'')'),
        ('sync_get_user_references', 'SELECT count(*) FROM sync_get_user_references(%L, ''{irish}'')'),
        ('sync_notes_page', 'SELECT count(*) FROM sync_notes_page(%L, NULL)'),
        ('sync_references_page', 'SELECT count(*) FROM sync_references_page(%L, NULL)'),
        ('sync_tunes_page', 'SELECT count(*) FROM sync_tunes_page(%L, NULL)'),
        ('sync_get_playlist_tune_genres', 'SELECT sync_get_playlist_tune_genres(%L)'),
        ('sync_get_effective_genres', 'SELECT sync_get_effective_genres(%L)'),
        ('sync_pull', 'SELECT json_array_length(sync_pull(''note'', %L) -> ''rows'')'),
        ('sync_range_checksum', 'SELECT row_count FROM sync_range_checksum(''note'', %L, NULL, NULL, NULL)'),
        ('sync_partition_bounds', 'SELECT count(*) FROM sync_partition_bounds(''note'', %L, NULL, 3)'),
        ('sync_safe_horizon', 'SELECT count(sync_safe_horizon()) >= 0 OR %L IS NULL'),
        ('sync_publish_horizon', 'SELECT count(sync_publish_horizon()) >= 0 OR %L IS NULL'),
        ('sync_required_indexes', 'SELECT count(*) FROM sync_required_indexes() WHERE %L IS NOT NULL'),
        ('sync_create_indexes', 'SELECT count(*) FROM sync_create_indexes() WHERE %L IS NOT NULL')
    ) AS c(f, q)
$$;

SET genre_sync.trusted_roles = 'gs_test_worker';
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"service_role"}', regress.u(1)), false);
SET ROLE gs_test_worker;
SELECT * FROM regress.privilege_outcomes(regress.u(2));
RESET ROLE;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', regress.u(1)), false);
SET ROLE gs_test_user;
SELECT * FROM regress.privilege_outcomes(regress.u(1));
RESET ROLE;
SELECT set_config('request.jwt.claims', '', false);
RESET genre_sync.trusted_roles;

-- sync_create_indexes() needs to own the tables, and says so.
GRANT EXECUTE ON FUNCTION sync_create_indexes, sync_required_indexes TO gs_test_worker;
SET ROLE gs_test_worker;
SELECT regress.outcome('SELECT count(*) FROM sync_create_indexes()');
RESET ROLE;

DROP FUNCTION regress.privilege_outcomes(uuid);
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM gs_test_worker, gs_test_user;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM gs_test_worker, gs_test_user;
REVOKE USAGE ON SCHEMA regress FROM gs_test_worker, gs_test_user, gs_test_nobody;
DROP ROLE gs_test_nobody, gs_test_worker, gs_test_user;
