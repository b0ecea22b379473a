-- Errors in the middle of a page: a row-level security policy raises on one
-- row, after the function has connected to SPI and its query has read part
-- of the table. 10,000 such calls, each caught, must leave
-- no SPI connection open (a COMMIT would warn "transaction left non-empty
-- SPI stack"), no memory behind (contexts and resident size), and the next
-- call in the same transaction must work.

CREATE ROLE gs_test_midpage NOLOGIN;
GRANT USAGE ON SCHEMA regress TO gs_test_midpage;
GRANT SELECT ON note, reference, tune, playlist, playlist_tune, user_genre_selection
    TO gs_test_midpage;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO gs_test_midpage;

-- The 40th note of u1's sync raises.
SELECT id AS boom_id FROM sync_notes_page(regress.u(1), NULL) OFFSET 39 LIMIT 1 \gset
CREATE FUNCTION regress.sec_visible(p_id uuid) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('regress.poison') = 'on'
       AND p_id = current_setting('regress.boom_id')::uuid THEN
        RAISE EXCEPTION 'note % is poisoned', p_id USING ERRCODE = 'GS001';
    END IF;
    RETURN true;
END
$$;
SET regress.boom_id = :'boom_id';
SET regress.poison = on;
ALTER TABLE note ENABLE ROW LEVEL SECURITY;
CREATE POLICY midpage ON note FOR SELECT USING (regress.sec_visible(id));

CREATE FUNCTION regress.sec_midpage_errors(n int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    u uuid := regress.u(1);
    failed int := 0;
BEGIN
    FOR i IN 1 .. n LOOP
        BEGIN
            CASE i % 3
            WHEN 0 THEN PERFORM count(*) FROM sync_notes_page(u, NULL);
            WHEN 1 THEN PERFORM count(*) FROM sync_get_user_notes(u, regress.genres_with_tunes(), NULL, 100, i % 20);
            ELSE PERFORM count(*) FROM sync_notes_page(u, NULL, '-infinity', NULL, 50 + i % 50);
            END CASE;
        EXCEPTION WHEN SQLSTATE 'GS001' THEN
            failed := failed + 1;
        END;
    END LOOP;
    RETURN failed;
END
$$;

CREATE FUNCTION pg_temp.context_bytes() RETURNS bigint LANGUAGE sql
AS $$ SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts $$;
CREATE FUNCTION pg_temp.rss_kb() RETURNS bigint LANGUAGE sql
AS $$ SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmRSS:\s+(\d+)'))[1]::bigint $$;

-- One transaction: every call fails mid-page and is rolled back to its
-- savepoint; then the same functions work in the same transaction, and
-- COMMIT finds no SPI connection left (it would WARN here). It runs twice:
-- the first round warms caches and kept plans and takes the resident size
-- to the round's high-water mark, so only a leak can grow it in the second.
\set round 'BEGIN; SET LOCAL ROLE gs_test_midpage; SELECT regress.sec_midpage_errors(10000) AS failed_calls; SET LOCAL regress.poison = off; SELECT count(*) AS notes FROM sync_notes_page(regress.u(1), NULL); SELECT count(*) AS notes FROM sync_get_user_notes(regress.u(1), regress.genres_with_tunes()); SELECT count(*) AS references FROM sync_references_page(regress.u(1), NULL); COMMIT;'
:round
SELECT pg_temp.context_bytes() AS contexts_before, pg_temp.rss_kb() AS rss_before \gset
:round
SELECT pg_temp.rss_kb() - :rss_before AS rss_growth_kb \gset

-- An uncaught error mid-page ends the statement; the session goes on.
SET ROLE gs_test_midpage;
\set VERBOSITY terse
SELECT count(*) FROM sync_notes_page(regress.u(1), NULL);
\set VERBOSITY default
SET regress.poison = off;
SELECT count(*) AS notes FROM sync_notes_page(regress.u(1), NULL);
RESET ROLE;

SELECT pg_temp.context_bytes() - :contexts_before AS context_growth_bytes \gset
-- The same bounds as backend_memory: 8 bytes a call show in the contexts,
-- 100 bytes a call in the resident size (measured over the second round
-- alone: without a first round, 10,000 errors in one transaction raise it
-- by 0.8 to 1.6 MB of high-water mark, leak or not).
SELECT :context_growth_bytes < 64 * 1024 AS contexts_stable,
       :rss_growth_kb < 1024 AS rss_stable;

DROP POLICY midpage ON note;
ALTER TABLE note DISABLE ROW LEVEL SECURITY;
RESET regress.boom_id;
RESET regress.poison;
DROP FUNCTION regress.sec_midpage_errors(int), regress.sec_visible(uuid);
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM gs_test_midpage;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM gs_test_midpage;
REVOKE USAGE ON SCHEMA regress FROM gs_test_midpage;
DROP ROLE gs_test_midpage;
