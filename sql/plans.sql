-- The supporting indexes: sync_required_indexes() recognises equivalent
-- indexes by structure, sync_create_indexes() builds what is missing, and at
-- a data size where the choice matters the queries the sync functions run
-- use the intended indexes. Everything happens in one transaction that is
-- rolled back, so the shared fixture stays as the other tests expect.
SET TimeZone = 'UTC';
BEGIN;

-- Plan helper: asserts nodes, not whole plans, so statistics noise in the
-- rest of the plan does not matter. Prints 'ok' or what is wrong and the plan.
CREATE FUNCTION pg_temp.plan_check(p_sql text, p_want text[], p_avoid text[], p_plan_cache_mode text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
    problems text := '';
    node text;
BEGIN
    PERFORM set_config('plan_cache_mode', p_plan_cache_mode, true);
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || p_sql LOOP
        plan := plan || line || E'\n';
    END LOOP;
    FOREACH node IN ARRAY p_want LOOP
        IF strpos(plan, node) = 0 THEN
            problems := problems || 'missing: ' || node || E'\n';
        END IF;
    END LOOP;
    FOREACH node IN ARRAY p_avoid LOOP
        IF strpos(plan, node) > 0 THEN
            problems := problems || 'unexpected: ' || node || E'\n';
        END IF;
    END LOOP;
    RETURN CASE WHEN problems = '' THEN 'ok' ELSE problems || plan END;
END
$$;

-- Nothing of the set exists in the fixture yet.
SELECT table_name, index_name, present, valid, existing_index
FROM sync_required_indexes();

-- Equivalence is by structure, not name: same keys, default opclass and
-- collation, ascending, same predicate (compared as PostgreSQL deparses it).
CREATE INDEX app_note_order ON note (last_modified_at, id);
CREATE UNIQUE INDEX app_note_tune_unique_ish ON note (tune_ref, id);   -- more keys: no
CREATE INDEX app_tune_genre_any ON tune (genre);                       -- no predicate: no
CREATE INDEX app_tune_genre_public ON tune (genre) WHERE ((private_for IS NULL));
CREATE INDEX app_tune_order_desc ON tune (last_modified_at DESC, id DESC); -- descending: no
CREATE INDEX app_reference_tune_c ON reference (tune_ref) WHERE tune_ref IS NOT NULL; -- predicate: no
CREATE INDEX app_playlist_user_hash ON playlist USING hash (user_ref);  -- not btree: no
CREATE INDEX app_reference_lower ON reference (lower(url));            -- expression: ignored
SELECT table_name, index_name, present, valid, existing_index
FROM sync_required_indexes();

-- Only the missing ones are created, under our names, exactly as defined.
SELECT * FROM sync_create_indexes() ORDER BY index_name;
SELECT q.index_name, pg_get_indexdef(q.existing_index::regclass) = q.definition AS same_definition
FROM sync_required_indexes() q WHERE q.existing_index = q.index_name ORDER BY 1;
SELECT count(*) AS created_again FROM sync_create_indexes();
SELECT count(*) FILTER (WHERE present AND valid) AS present_and_valid,
       count(*) FILTER (WHERE size_bytes > 0 AND scans IS NOT NULL) AS with_size_and_scans
FROM sync_required_indexes();
DROP INDEX app_note_order, app_note_tune_unique_ish, app_tune_genre_any, app_tune_genre_public,
           app_tune_order_desc, app_reference_tune_c, app_playlist_user_hash, app_reference_lower;

-- An invalid index under our name (what a failed CREATE INDEX CONCURRENTLY
-- leaves) is reported present but not valid, then dropped and rebuilt.
UPDATE pg_index SET indisvalid = false
WHERE indexrelid = 'genre_sync_playlist_user_ref_idx'::regclass;
SELECT index_name, present, valid FROM sync_required_indexes() WHERE NOT valid;
SELECT * FROM sync_create_indexes();
SELECT count(*) FILTER (WHERE present AND valid) AS present_and_valid FROM sync_required_indexes();

-- Scale the fixture up about 100 times (deterministic, md5-based): skewed
-- genres like docs/dataset.md, some private and deleted tunes, 60% system rows.
INSERT INTO user_profile (id, name)
SELECT md5('plans user' || k)::uuid, 'plans user ' || k FROM generate_series(1, 3000) k;
INSERT INTO tune (id, title, genre, private_for, deleted, last_modified_at)
SELECT md5('plans tune' || i)::uuid, 'plans tune ' || i,
       CASE WHEN b < 40 THEN 'irish' WHEN b < 52 THEN 'scottish' WHEN b < 60 THEN 'oldtime'
            WHEN b < 66 THEN 'bluegrass' WHEN b < 71 THEN 'klezmer' WHEN b < 76 THEN 'breton'
            WHEN b < 81 THEN 'contra' WHEN b < 86 THEN 'cajun' WHEN b < 91 THEN 'nordic'
            WHEN b < 96 THEN 'balkan' WHEN b < 98 THEN 'Galician' ELSE 'shanty' END,
       CASE WHEN i % 97 = 0 THEN md5('plans user' || (1 + i % 3000))::uuid END,
       i % 50 = 0,
       timestamp '2023-01-01' + regress.h('plans tune ts' || i) * interval '100 ms'
FROM (SELECT i, regress.h('plans tune genre' || i) % 100 AS b FROM generate_series(1, 30000) i) s;
INSERT INTO note (id, user_ref, tune_ref, note_text, last_modified_at)
SELECT md5('plans note' || i)::uuid,
       CASE WHEN i % 5 >= 3 THEN md5('plans user' || (1 + i % 3000))::uuid END,
       md5('plans tune' || (1 + regress.h('plans note tune' || i) % 30000))::uuid, 'n',
       timestamp '2023-01-01' + regress.h('plans note ts' || i) * interval '100 ms'
FROM generate_series(1, 60000) i;
INSERT INTO reference (id, url, user_ref, tune_ref, last_modified_at)
SELECT md5('plans ref' || i)::uuid, 'https://example.org/' || i,
       CASE WHEN i % 10 >= 7 THEN md5('plans user' || (1 + i % 3000))::uuid END,
       md5('plans tune' || (1 + regress.h('plans ref tune' || i) % 30000))::uuid,
       timestamp '2023-01-01' + regress.h('plans ref ts' || i) * interval '100 ms'
FROM generate_series(1, 60000) i;
INSERT INTO playlist (playlist_id, user_ref, name, genre_default)
SELECT md5('plans playlist' || k)::uuid, md5('plans user' || k)::uuid, 'p', 'irish'
FROM generate_series(1, 3000) k;
ANALYZE;

-- The exact SQL of the functions' kept plans (extension/core/sync_query.cpp),
-- prepared with the same parameter list; a custom plan per call, as the plan
-- cache makes for the first executions. The page functions bind their
-- timestamp bounds as the column's own type (the argument's wall clock in
-- genre_sync.stamp_time_zone), the drop-in as the seed's timestamptz.
PREPARE note_first(uuid, text[], timestamp, uuid, timestamp, uuid, int, int) AS
SELECT r.* FROM public.note r JOIN public.tune t ON t.id OPERATOR(pg_catalog.=) r.tune_ref WHERE ((t.genre OPERATOR(pg_catalog.=) ANY ($2) AND t.private_for IS NULL) OR t.private_for OPERATOR(pg_catalog.=) $1) AND NOT t.deleted AND (r.user_ref IS NULL OR r.user_ref OPERATOR(pg_catalog.=) $1) ORDER BY r.last_modified_at, r.id LIMIT $7;
PREPARE note_after(uuid, text[], timestamp, uuid, timestamp, uuid, int, int) AS
SELECT r.* FROM public.note r JOIN public.tune t ON t.id OPERATOR(pg_catalog.=) r.tune_ref WHERE ((t.genre OPERATOR(pg_catalog.=) ANY ($2) AND t.private_for IS NULL) OR t.private_for OPERATOR(pg_catalog.=) $1) AND NOT t.deleted AND (r.user_ref IS NULL OR r.user_ref OPERATOR(pg_catalog.=) $1) AND (r.last_modified_at, r.id) OPERATOR(pg_catalog.>) ($3, $4) ORDER BY r.last_modified_at, r.id LIMIT $7;
PREPARE note_since(uuid, text[], timestamp, uuid, timestamp, uuid, int, int) AS
SELECT r.* FROM public.note r JOIN public.tune t ON t.id OPERATOR(pg_catalog.=) r.tune_ref WHERE ((t.genre OPERATOR(pg_catalog.=) ANY ($2) AND t.private_for IS NULL) OR t.private_for OPERATOR(pg_catalog.=) $1) AND NOT t.deleted AND (r.user_ref IS NULL OR r.user_ref OPERATOR(pg_catalog.=) $1) AND r.last_modified_at OPERATOR(pg_catalog.>) $3 ORDER BY r.last_modified_at, r.id LIMIT $7;
PREPARE note_dropin(uuid, text[], timestamptz, uuid, timestamptz, uuid, int, int) AS
SELECT r.* FROM public.note r JOIN public.tune t ON t.id OPERATOR(pg_catalog.=) r.tune_ref WHERE ((t.genre OPERATOR(pg_catalog.=) ANY ($2) AND t.private_for IS NULL) OR t.private_for OPERATOR(pg_catalog.=) $1) AND NOT t.deleted AND (r.user_ref IS NULL OR r.user_ref OPERATOR(pg_catalog.=) $1) ORDER BY r.last_modified_at, r.id LIMIT $7 OFFSET $8;
PREPARE reference_after(uuid, text[], timestamp, uuid, timestamp, uuid, int, int) AS
SELECT r.* FROM public.reference r JOIN public.tune t ON t.id OPERATOR(pg_catalog.=) r.tune_ref WHERE ((t.genre OPERATOR(pg_catalog.=) ANY ($2) AND t.private_for IS NULL) OR t.private_for OPERATOR(pg_catalog.=) $1) AND NOT t.deleted AND (r.user_ref IS NULL OR r.user_ref OPERATOR(pg_catalog.=) $1) AND (r.last_modified_at, r.id) OPERATOR(pg_catalog.>) ($3, $4) ORDER BY r.last_modified_at, r.id LIMIT $7;
PREPARE reference_first(uuid, text[], timestamp, uuid, timestamp, uuid, int, int) AS
SELECT r.* FROM public.reference r JOIN public.tune t ON t.id OPERATOR(pg_catalog.=) r.tune_ref WHERE ((t.genre OPERATOR(pg_catalog.=) ANY ($2) AND t.private_for IS NULL) OR t.private_for OPERATOR(pg_catalog.=) $1) AND NOT t.deleted AND (r.user_ref IS NULL OR r.user_ref OPERATOR(pg_catalog.=) $1) ORDER BY r.last_modified_at, r.id LIMIT $7;
PREPARE tune_first(uuid, text[], timestamp, uuid, timestamp, uuid, int, int) AS
SELECT t.* FROM public.tune t WHERE ((t.genre OPERATOR(pg_catalog.=) ANY ($2) AND t.private_for IS NULL) OR t.private_for OPERATOR(pg_catalog.=) $1) AND NOT t.deleted ORDER BY t.last_modified_at, t.id LIMIT $7;
PREPARE tune_after(uuid, text[], timestamp, uuid, timestamp, uuid, int, int) AS
SELECT t.* FROM public.tune t WHERE ((t.genre OPERATOR(pg_catalog.=) ANY ($2) AND t.private_for IS NULL) OR t.private_for OPERATOR(pg_catalog.=) $1) AND (t.last_modified_at, t.id) OPERATOR(pg_catalog.>) ($3, $4) ORDER BY t.last_modified_at, t.id LIMIT $7;
PREPARE effective(uuid) AS
SELECT COALESCE(pg_catalog.array_agg(DISTINCT g.genre COLLATE "C" ORDER BY g.genre COLLATE "C"), '{}'::pg_catalog.text[]) FROM (SELECT s.genre_id FROM public.user_genre_selection s WHERE s.user_id OPERATOR(pg_catalog.=) $1 UNION SELECT p.genre_default FROM public.playlist p WHERE p.user_ref OPERATOR(pg_catalog.=) $1 AND NOT p.deleted AND p.genre_default IS NOT NULL UNION SELECT t.genre FROM public.playlist p JOIN public.playlist_tune pt ON pt.playlist_ref OPERATOR(pg_catalog.=) p.playlist_id JOIN public.tune t ON t.id OPERATOR(pg_catalog.=) pt.tune_ref WHERE p.user_ref OPERATOR(pg_catalog.=) $1 AND NOT p.deleted AND NOT pt.deleted AND NOT t.deleted AND t.genre IS NOT NULL) g(genre);

-- Each case is checked with the custom plan the plan cache makes for the
-- first executions and, where the intended plan does not depend on the
-- arguments, with the generic plan it may keep afterwards.
CREATE TEMP TABLE plan_case (ord int, name text, sql text, want text[], avoid text[], generic_too boolean);
-- All-genre user: every page is an ordered index scan that stops at LIMIT,
-- first page, deep page, incremental and drop-in alike; no Sort.
INSERT INTO plan_case VALUES
(1, 'notes first page',
 $q$EXECUTE note_first(regress.u(1), regress.genres_with_tunes(), NULL, NULL, NULL, NULL, 1000, 0)$q$,
 '{"Index Scan using genre_sync_note_last_modified_at_id_idx on note r"}', '{Sort}', true),
(2, 'notes deep page',
 $q$EXECUTE note_after(regress.u(1), regress.genres_with_tunes(), '2023-01-20 00:00:00', 'ffffffff-0000-0000-0000-000000000000', NULL, NULL, 1000, 0)$q$,
 '{"Index Scan using genre_sync_note_last_modified_at_id_idx on note r","Index Cond: (ROW(last_modified_at, id) > ROW("}', '{Sort}', true),
(3, 'notes empty incremental',
 $q$EXECUTE note_since(regress.u(1), regress.genres_with_tunes(), '2030-01-01 00:00:00', NULL, NULL, NULL, 1000, 0)$q$,
 '{"Index Scan using genre_sync_note_last_modified_at_id_idx on note r","Index Cond: (last_modified_at > "}', '{Sort,"Seq Scan on note"}', true),
(4, 'notes drop-in first page',
 $q$EXECUTE note_dropin(regress.u(1), regress.genres_with_tunes(), NULL, NULL, NULL, NULL, 1000, 0)$q$,
 '{"Index Scan using genre_sync_note_last_modified_at_id_idx on note r"}', '{Sort}', true),
(5, 'references first page',
 $q$EXECUTE reference_first(regress.u(1), regress.genres_with_tunes(), NULL, NULL, NULL, NULL, 1000, 0)$q$,
 '{"Index Scan using genre_sync_reference_last_modified_at_id_idx on reference r"}', '{Sort}', true),
(6, 'references deep page',
 $q$EXECUTE reference_after(regress.u(1), regress.genres_with_tunes(), '2023-01-20 00:00:00', 'ffffffff-0000-0000-0000-000000000000', NULL, NULL, 1000, 0)$q$,
 '{"Index Scan using genre_sync_reference_last_modified_at_id_idx on reference r"}', '{Sort}', true),
(7, 'tunes first page',
 $q$EXECUTE tune_first(regress.u(1), regress.genres_with_tunes(), NULL, NULL, NULL, NULL, 1000, 0)$q$,
 '{"Index Scan using genre_sync_tune_last_modified_at_id_idx on tune t"}', '{Sort}', true),
(8, 'tunes deep page',
 $q$EXECUTE tune_after(regress.u(1), regress.genres_with_tunes(), '2023-01-20 00:00:00', 'ffffffff-0000-0000-0000-000000000000', NULL, NULL, 1000, 0)$q$,
 '{"Index Scan using genre_sync_tune_last_modified_at_id_idx on tune t"}', '{Sort}', true);
-- Two small genres: the tunes come from the genre index and the private
-- tune index together (BitmapOr), not from a scan of every tune. Only a
-- custom plan sees that the genres are small.
INSERT INTO plan_case VALUES
(9, 'notes, two small genres',
 $q$EXECUTE note_first(regress.u(1), '{shanty,Galician}', NULL, NULL, NULL, NULL, 1000, 0)$q$,
 '{BitmapOr,"Bitmap Index Scan on genre_sync_tune_genre_idx","Bitmap Index Scan on genre_sync_tune_private_for_idx"}',
 '{"Seq Scan on tune"}', false),
(10, 'tunes, two small genres',
 $q$EXECUTE tune_first(regress.u(1), '{shanty,Galician}', NULL, NULL, NULL, NULL, 1000, 0)$q$,
 '{BitmapOr,"Bitmap Index Scan on genre_sync_tune_genre_idx","Bitmap Index Scan on genre_sync_tune_private_for_idx"}',
 '{"Seq Scan on tune"}', false);
-- Genre discovery finds the user's playlists by user_ref.
INSERT INTO plan_case VALUES
(11, 'effective genres', $q$EXECUTE effective(regress.u(1))$q$,
 '{genre_sync_playlist_user_ref_idx}', '{"Seq Scan on playlist p"}', true);

SELECT c.name AS query, m.mode, pg_temp.plan_check(c.sql, c.want, c.avoid, m.mode) AS plan
FROM plan_case c
CROSS JOIN (VALUES ('force_custom_plan'), ('force_generic_plan')) AS m(mode)
WHERE m.mode = 'force_custom_plan' OR c.generic_too
ORDER BY c.ord, m.mode;

-- The page functions themselves, in a session of a daylight-saving TimeZone:
-- they convert their timestamptz arguments, never the column, so a deep page
-- reads the (last_modified_at, id) index from its bound on. The index's
-- tuples read (this transaction's statistics) are about the page's rows
-- (1,731 for its 1,000); a bound the index could not use would read the
-- tens of thousands of notes before it too.
SET TimeZone = 'Europe/Berlin';
SELECT pg_stat_get_xact_numscans('genre_sync_note_last_modified_at_id_idx'::regclass) AS scans_before,
       pg_stat_get_xact_tuples_returned('genre_sync_note_last_modified_at_id_idx'::regclass) AS read_before,
       pg_stat_get_xact_numscans('note'::regclass) AS seq_scans_before \gset
SELECT count(*) AS deep_page_rows,
       min(last_modified_at) > '2023-10-01 00:00:00' AS after_the_bound
FROM sync_notes_page(regress.u(1), regress.genres_with_tunes(), '2023-10-01 00:00:00+00',
                     'ffffffff-0000-0000-0000-000000000000', 1000);
SELECT pg_stat_get_xact_numscans('genre_sync_note_last_modified_at_id_idx'::regclass) > :scans_before
         AS used_the_key_index,
       pg_stat_get_xact_tuples_returned('genre_sync_note_last_modified_at_id_idx'::regclass) - :read_before
         < 5000 AS read_from_the_bound,
       pg_stat_get_xact_numscans('note'::regclass) = :seq_scans_before AS no_seq_scan;
SET TimeZone = 'UTC';

ROLLBACK;

-- The set is gone again with the transaction.
SELECT count(*) FILTER (WHERE present) AS present FROM sync_required_indexes();

-- Building needs ownership of every table, checked before anything is built.
CREATE ROLE regress_plans_nonowner;
GRANT EXECUTE ON FUNCTION sync_create_indexes(), sync_required_indexes() TO regress_plans_nonowner;
SET ROLE regress_plans_nonowner;
SELECT * FROM sync_create_indexes();
RESET ROLE;
REVOKE ALL ON FUNCTION sync_create_indexes(), sync_required_indexes() FROM regress_plans_nonowner;
DROP ROLE regress_plans_nonowner;
