-- Online reorganisation (1.3): sync_reorganize_step() rewrites the next
-- batch of rows in (last_modified_at, id) order. Every row must come back
-- with exactly its content, last_modified_at included, even with an app
-- trigger that stamps last_modified_at on UPDATE (the step runs with
-- session_replication_role = replica, so it does not fire); no move is
-- recorded and the key index stays exact; the position is kept between
-- steps and the progress row goes when the run ends. Bad input, a role
-- that may not set session_replication_role, and a missing order index are
-- refused with their SQLSTATE and nothing changed. The physical order and
-- concurrent writers are tests/integration/reorganize_concurrent.sh's.
-- Everything runs in one transaction that is rolled back.
--
-- Seen to fail: with the SET session_replication_role clause taken out of
-- sync_reorganize_batch (extension/sql/1.2--1.3/60_reorganize.sql), the app
-- trigger stamped every rewritten note anew, past the run's position, so the
-- note run never finished (it was cancelled; pg_temp.run now stops after 200
-- steps, and the stamped rows show in changed_rows).
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
BEGIN;
CREATE TEMP TABLE created_indexes AS SELECT * FROM sync_create_indexes();
SELECT table_name, key_rows > 0 AS has_keys FROM sync_enable_key_index();

-- The app's own trigger, as many apps have: UPDATE stamps the row.
CREATE FUNCTION pg_temp.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_modified_at := clock_timestamp();
    NEW.sync_version := OLD.sync_version + 1;
    RETURN NEW;
END $$;
CREATE TRIGGER app_stamp BEFORE UPDATE ON note FOR EACH ROW EXECUTE FUNCTION pg_temp.stamp();
CREATE TRIGGER app_stamp BEFORE UPDATE ON reference FOR EACH ROW EXECUTE FUNCTION pg_temp.stamp();

CREATE TEMP TABLE note_before AS TABLE note;
CREATE TEMP TABLE reference_before AS TABLE reference;
CREATE TEMP TABLE old_ctid AS SELECT 'note' AS tbl, id, ctid AS at FROM note
                              UNION ALL SELECT 'reference', id, ctid FROM reference;
SELECT count(*) AS moves_before FROM sync_move \gset

-- One step of 7 notes: it stops at the 7th key (the oracle: the same order
-- read directly) and remembers it.
SELECT moved, rows_done, finished FROM sync_reorganize_step('note', 7);
SELECT (p.after_ts, p.after_id) = (SELECT n.last_modified_at, n.id FROM note n
                                   ORDER BY n.last_modified_at, n.id OFFSET 6 LIMIT 1) AS position_is_7th_key,
       p.rows_done
FROM sync_reorganize_progress p WHERE p.table_name = 'note';
-- Exactly those 7 were rewritten (a new version has a new ctid).
SELECT count(*) AS rewritten FROM note n JOIN old_ctid o ON o.tbl = 'note' AND o.id = n.id WHERE n.ctid <> o.at;

-- The rest, resuming there, until a step says it is finished.
CREATE FUNCTION pg_temp.run(p_table text, p_rows int) RETURNS TABLE (steps int, moved bigint)
LANGUAGE plpgsql AS $$
DECLARE s record;
BEGIN
    steps := 0; moved := 0;
    LOOP
        SELECT * INTO s FROM sync_reorganize_step(p_table, p_rows);
        steps := steps + 1; moved := moved + s.moved;
        -- A rewrite that stamped rows anew would chase them forever.
        EXIT WHEN s.finished OR steps = 200;
    END LOOP;
    RETURN NEXT;
END $$;
SELECT * FROM pg_temp.run('note', 25);
SELECT * FROM pg_temp.run('reference', 1000);
SELECT count(*) AS progress_rows FROM sync_reorganize_progress;

-- Every row rewritten, every row's content the same.
SELECT 'note' AS tbl,
       (SELECT count(*) FROM note n JOIN old_ctid o ON o.tbl = 'note' AND o.id = n.id
        WHERE n.ctid = o.at) AS not_rewritten,
       (SELECT count(*) FROM ((TABLE note EXCEPT ALL TABLE note_before)
                              UNION ALL (TABLE note_before EXCEPT ALL TABLE note)) d) AS changed_rows
UNION ALL
SELECT 'reference',
       (SELECT count(*) FROM reference r JOIN old_ctid o ON o.tbl = 'reference' AND o.id = r.id
        WHERE r.ctid = o.at),
       (SELECT count(*) FROM ((TABLE reference EXCEPT ALL TABLE reference_before)
                              UNION ALL (TABLE reference_before EXCEPT ALL TABLE reference)) d);
SELECT count(*) - :moves_before AS moves_recorded FROM sync_move;
SELECT table_name, enabled, missing, wrong, extra FROM sync_check_key_index();

-- Tunes too (their key-index trigger and move trigger find nothing changed).
CREATE TEMP TABLE tune_before AS SELECT * FROM tune;
SELECT steps > 0 AS ran, moved = (SELECT count(*) FROM tune) AS all_rows FROM pg_temp.run('tune', 500);
SELECT count(*) AS changed_tunes FROM ((TABLE tune EXCEPT ALL TABLE tune_before)
                                       UNION ALL (TABLE tune_before EXCEPT ALL TABLE tune)) d;
SELECT count(*) - :moves_before AS moves_recorded FROM sync_move;

-- Bad input: nothing changed, the SQLSTATE says why.
\set VERBOSITY verbose
SAVEPOINT bad;
SELECT * FROM sync_reorganize_step('playlist');
ROLLBACK TO bad;
SELECT * FROM sync_reorganize_step(NULL);
ROLLBACK TO bad;
SELECT * FROM sync_reorganize_step('note', 0);
ROLLBACK TO bad;
-- Without the (last_modified_at, id) index the rows would be visited in
-- physical order.
DROP INDEX genre_sync_reference_last_modified_at_id_idx;
SELECT * FROM sync_reorganize_step('reference');
ROLLBACK TO bad;
-- A role that may update the table but not set session_replication_role.
CREATE ROLE regress_reorganizer;
GRANT USAGE ON SCHEMA public TO regress_reorganizer;
GRANT SELECT, UPDATE ON note TO regress_reorganizer;
GRANT EXECUTE ON FUNCTION sync_reorganize_step(text, integer) TO regress_reorganizer;
SET ROLE regress_reorganizer;
SELECT * FROM sync_reorganize_step('note');
ROLLBACK TO bad;
\set VERBOSITY default
SELECT count(*) AS progress_rows FROM sync_reorganize_progress;
ROLLBACK;
