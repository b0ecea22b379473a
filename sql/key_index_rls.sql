-- The key index for callers under row-level security (1.3): such a caller
-- may not read the key tables, so its pages read their candidates' keys
-- with the extension owner's rights and the rows with its own, policies and
-- all (backend/caller_keys.hpp). The oracle is the default path for the
-- same caller: with the key index off, the same role with the same claims
-- walks the same pages, pulls and checksums, and everything it gets back
-- (every page's rows, row_count, has_more, next_cursor, removed, catch_up,
-- checksums, errors) must be the same with the key index on, while the key
-- indexes are really read. The policies are an app's `auth.uid()` kind
-- (request.jwt.claims): a user sees its own notes and references, system
-- ones only when public (notes), public tunes except one genre's, and its
-- own private tunes. The caller is user 1, also asking for user 2 and 8
-- (the caller check is off), whose private rows it must not see: whole
-- streams of candidates are invisible to it.
--
-- Seen to fail: with the rows' step run with the owner's rights too
-- (run_rows_step for rows_shape inside as_owner_of in
-- extension/backend/caller_keys.cpp) every walk and pull with hidden rows
-- differed and the caller got every row the superuser gets; with the rounds
-- stopped after the first (a page stopped at its first batch of candidates)
-- pages and pulls lost rows the caller may see and walks ended early.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
BEGIN;

CREATE ROLE regress_rls_caller;
GRANT USAGE ON SCHEMA regress, seed TO regress_rls_caller;
GRANT SELECT ON genre, user_profile, tune, note, reference, playlist, playlist_tune,
    user_genre_selection TO regress_rls_caller;
GRANT EXECUTE ON FUNCTION
    sync_notes_page(uuid, text[], timestamptz, uuid, integer, timestamptz, uuid),
    sync_references_page(uuid, text[], timestamptz, uuid, integer, timestamptz, uuid),
    sync_pull(text, uuid, text[], text, integer, text),
    sync_range_checksum(text, uuid, text[], text, text)
    TO regress_rls_caller;

ALTER TABLE note ENABLE ROW LEVEL SECURITY;
ALTER TABLE reference ENABLE ROW LEVEL SECURITY;
ALTER TABLE tune ENABLE ROW LEVEL SECURITY;
CREATE POLICY regress_rls ON note FOR SELECT
    USING (user_ref = regress.jwt_uid() OR (user_ref IS NULL AND public));
CREATE POLICY regress_rls ON reference FOR SELECT
    USING (user_ref = regress.jwt_uid() OR user_ref IS NULL);
CREATE POLICY regress_rls ON tune FOR SELECT
    USING ((private_for IS NULL AND genre IS DISTINCT FROM 'scottish')
           OR private_for = regress.jwt_uid());

-- The calls: users and genre lists that read by genre (at most 8) and by
-- time, and page sizes down to 1, where most rounds of candidates are
-- invisible to the caller.
CREATE TEMP TABLE rls_case (case_no int PRIMARY KEY, user_k int, genres text[]);
INSERT INTO rls_case VALUES
    (1, 1, '{irish,scottish}'),
    (2, 1, NULL),
    (3, 1, '{}'),
    (4, 2, '{scottish,oldtime}'),
    (5, 1, regress.genres_with_tunes()),
    (6, 8, regress.genres_with_tunes()),
    (7, 8, '{irish,klezmer,scottish}'),
    -- More genres than streams, few tunes: the owner's keys by time (cases 5
    -- and 6 hold most tunes, and the caller walks the tables itself).
    (8, 1, '{irish,scottish,gone1,gone2,gone3,gone4,gone5,gone6,gone7}');
GRANT SELECT ON rls_case TO regress_rls_caller;

-- Pulls until has_more is false, every envelope kept, then on from the last
-- cursor with other genres (a filter change: catch-up pages, then the main
-- stream), and from a v1 cursor in the middle (its catch-up pages).
CREATE FUNCTION pg_temp.pulls(p_table text, p_user uuid, p_genres text[], p_size int)
RETURNS TABLE (leg text, page_no int, envelope jsonb) LANGUAGE plpgsql AS $$
DECLARE
    v_cursor text;
    v_page jsonb;
    v_middle text;
    v_genres text[];
BEGIN
    FOREACH leg IN ARRAY ARRAY['first', 'changed', 'v1'] LOOP
        v_genres := CASE leg WHEN 'changed' THEN '{oldtime,klezmer,shanty}' ELSE p_genres END;
        v_cursor := CASE leg WHEN 'first' THEN NULL WHEN 'v1' THEN v_middle ELSE v_cursor END;
        page_no := 0;
        LOOP
            v_page := sync_pull(p_table, p_user, v_genres, v_cursor, p_size);
            page_no := page_no + 1;
            -- The horizon moves from call to call, and with it the cursors'
            -- stamps taken from it: those are of the clock, after every row
            -- (rows are of 2023 and 2024; stamps from late 2025 on are H).
            envelope := regexp_replace(v_page::text, '\m1(7[6-9]|[89][0-9])[0-9]{13}\M', 'H',
                                       'g')::jsonb - 'horizon';
            RETURN NEXT;
            IF leg = 'first' AND v_middle IS NULL AND jsonb_array_length(v_page->'rows') > 0 THEN
                v_middle := format('v1:%s:%s',
                    (extract(epoch FROM (v_page->'rows'->-1->>'last_modified_at')::timestamp)
                     * 1000000)::bigint, v_page->'rows'->-1->>'id');
            END IF;
            v_cursor := v_page->>'next_cursor';
            EXIT WHEN NOT (v_page->>'has_more')::boolean OR page_no > 2000;
        END LOOP;
    END LOOP;
END
$$;

-- Everything the caller gets back, one row per page, envelope or checksum.
CREATE FUNCTION pg_temp.everything()
RETURNS TABLE (case_no int, tbl text, how text, size int, leg text, page_no int, result jsonb)
LANGUAGE sql AS $$
    SELECT c.case_no, t.tbl, 'page', s.size, '', w.page_no,
           jsonb_build_object('rows', to_jsonb(w.rows), 'last_ts', w.last_ts, 'last_id', w.last_id)
    FROM rls_case c
    CROSS JOIN (VALUES ('note'), ('reference')) AS t(tbl)
    CROSS JOIN (VALUES (1), (3), (7), (1000)) AS s(size)
    CROSS JOIN LATERAL regress.walk(t.tbl || 's', regress.u(c.user_k), c.genres, s.size) AS w
    UNION ALL
    SELECT c.case_no, t.tbl, 'pull', s.size, p.leg, p.page_no, p.envelope
    FROM rls_case c
    CROSS JOIN (VALUES ('note'), ('reference')) AS t(tbl)
    CROSS JOIN (VALUES (1), (5), (1000)) AS s(size)
    CROSS JOIN LATERAL pg_temp.pulls(t.tbl, regress.u(c.user_k), c.genres, s.size) AS p
    UNION ALL
    SELECT c.case_no, t.tbl, 'checksum', 0, '', 0, to_jsonb(x)
    FROM rls_case c
    CROSS JOIN (VALUES ('note'), ('reference')) AS t(tbl)
    CROSS JOIN LATERAL sync_range_checksum(t.tbl, regress.u(c.user_k), c.genres) AS x
$$;

CREATE FUNCTION pg_temp.scans(p_index regclass) RETURNS bigint LANGUAGE sql AS $$
    SELECT pg_stat_get_xact_numscans(p_index)
$$;
CREATE TEMP TABLE key_scans (idx regclass, before bigint);
INSERT INTO key_scans
SELECT i, 0 FROM unnest('{sync_key_note_genre_idx,sync_key_note_private_idx,sync_key_note_time_idx,
                          sync_key_reference_genre_idx,sync_key_reference_private_idx,
                          sync_key_reference_time_idx}'::regclass[]) AS i;

-- What the superuser gets (no policy applies to it), to show what the
-- policies hide.
CREATE TEMP TABLE unfiltered AS
SELECT c.case_no, t.tbl, sum(cardinality(w.rows)) AS superuser_rows
FROM rls_case c
CROSS JOIN (VALUES ('note'), ('reference')) AS t(tbl)
CROSS JOIN LATERAL regress.walk(t.tbl || 's', regress.u(c.user_k), c.genres, 1000) AS w
GROUP BY 1, 2;

SELECT set_config('request.jwt.claims', format('{"sub":"%s"}', regress.u(1)), true);
SET LOCAL genre_sync.enforce_caller_identity = off;

-- The default path: the key index is off.
SELECT count(*) AS key_index_enabled FROM sync_check_key_index() WHERE enabled;
SET ROLE regress_rls_caller;
CREATE TEMP TABLE by_default AS SELECT * FROM pg_temp.everything();
SET row_security = off;
SELECT regress.outcome(format('SELECT count(*) FROM sync_notes_page(%L, NULL)', regress.u(1)))
    AS default_no_row_security;
RESET row_security;
RESET ROLE;

-- The key index on: the same calls, the caller reads no key table itself.
SELECT count(*) AS tables FROM sync_enable_key_index();
SELECT table_name, enabled FROM sync_check_key_index();
SELECT has_table_privilege('regress_rls_caller', 'sync_key_note', 'SELECT') AS caller_reads_keys;
UPDATE key_scans SET before = pg_temp.scans(idx);
SET ROLE regress_rls_caller;
CREATE TEMP TABLE by_keys AS SELECT * FROM pg_temp.everything();
RESET ROLE;

-- The fast path was taken: every key index of both tables was read (by
-- genre, the user's private tunes, by time).
SELECT idx, pg_temp.scans(idx) > before AS read FROM key_scans ORDER BY idx::text;

-- The same, page for page, and the policies did hide rows: the superuser
-- sees more for every case but user 1's own private rows (case 3 sees
-- system notes the policy hides too).
SELECT d.how, d.tbl, count(*) AS results,
       count(*) FILTER (WHERE d.result IS DISTINCT FROM k.result) AS differ,
       count(*) FILTER (WHERE d.result IS NULL OR k.result IS NULL) AS missing
FROM by_default d FULL JOIN by_keys k USING (case_no, tbl, how, size, leg, page_no)
GROUP BY d.how, d.tbl ORDER BY d.how, d.tbl;

SELECT k.tbl, count(*) FILTER (WHERE (k.result->>'catch_up')::boolean) AS catch_up_pages,
       count(*) FILTER (WHERE jsonb_array_length(k.result->'removed') > 0) AS pages_with_removed,
       count(*) FILTER (WHERE NOT (k.result->>'has_more')::boolean) AS last_pages
FROM by_keys k WHERE k.how = 'pull' GROUP BY k.tbl ORDER BY k.tbl;
SELECT u.case_no, u.tbl, u.superuser_rows,
       (SELECT sum(jsonb_array_length(k.result->'rows')) FROM by_keys k
        WHERE (k.case_no, k.tbl, k.how, k.size) = (u.case_no, u.tbl, 'page', 1000)) AS caller_rows
FROM unfiltered u ORDER BY 1, 2;

-- No row the policies hide, in any page or envelope: no other user's
-- private row, no row of a hidden tune, no hidden system note.
CREATE FUNCTION pg_temp.row_json(p_tbl text, p_row text) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
    IF p_tbl = 'note' THEN
        RETURN to_jsonb(p_row::note);
    END IF;
    RETURN to_jsonb(p_row::reference);
END
$$;
SELECT k.how, count(*) AS rows_returned,
       count(*) FILTER (
           WHERE (r.j->>'user_ref') IS DISTINCT FROM regress.u(1)::text
                 AND NOT (r.j->>'user_ref' IS NULL AND (k.tbl = 'reference' OR (r.j->>'public')::boolean))
              OR EXISTS (SELECT FROM tune t WHERE t.id = (r.j->>'tune_ref')::uuid
                         AND t.genre = 'scottish' AND t.private_for IS NULL)
              OR EXISTS (SELECT FROM tune t WHERE t.id = (r.j->>'tune_ref')::uuid
                         AND t.private_for <> regress.u(1))) AS hidden_rows_returned
FROM by_keys k
CROSS JOIN LATERAL (SELECT CASE k.how WHEN 'pull' THEN e.r
                                      ELSE pg_temp.row_json(k.tbl, e.r #>> '{}') END
                    FROM jsonb_array_elements(k.result->'rows') AS e(r)) AS r(j)
WHERE k.how IN ('page', 'pull')
GROUP BY k.how ORDER BY k.how;

-- Without row security in force (row_security = off) the call fails as on
-- the default path, not with the owner's view.
SET ROLE regress_rls_caller;
SET row_security = off;
SELECT regress.outcome(format('SELECT count(*) FROM sync_notes_page(%L, NULL)', regress.u(1)))
    AS keys_no_row_security;
RESET row_security;
RESET ROLE;

ROLLBACK;
