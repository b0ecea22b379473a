-- Online reorganisation: rewrite a table's rows in (last_modified_at, id)
-- order, a batch per transaction, so that a page of keys finds its rows on a
-- few heap pages instead of one page per row (docs/indexes.md, "Physical
-- order"). genre-sync-indexer --reorganize drives it with progress.
--
-- A row is moved by an UPDATE that sets a column to itself: a concurrent
-- writer that updates or deletes the row either goes first (the batch then
-- rewrites its version, or skips it when its key left the batch's range) or
-- waits and then applies its change to the moved version, as with any
-- UPDATE, so no write is lost; a DELETE and INSERT would lose it. The new
-- version leaves its page only when that page is full, and a page stays full
-- while the versions the run left on it cannot be pruned: the indexer holds
-- a snapshot open in a second session for the whole run, so the moved rows
-- are appended in key order to the end of the table. The step runs with
-- session_replication_role = replica, so the app's own triggers (one that
-- stamps last_modified_at, say) and foreign-key checks do not fire; the
-- extension's triggers fire ALWAYS and find nothing changed: no key is
-- rewritten and no move is recorded.

-- Where an unfinished run stands, per table: the last key it moved. A step
-- updates it in its own transaction, so a cancelled step leaves it at the
-- previous step's end and the next run resumes there.
CREATE TABLE sync_reorganize_progress (
    table_name text PRIMARY KEY CHECK (table_name IN ('tune', 'note', 'reference')),
    after_ts   timestamp,
    after_id   uuid,
    rows_done  bigint NOT NULL DEFAULT 0,
    started_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((after_ts IS NULL) = (after_id IS NULL))
);
COMMENT ON TABLE sync_reorganize_progress IS
'Where an unfinished sync_reorganize_step() run of each table stands; the row is removed when the run ends';

-- The step itself, under the settings that make it work: the batch's rows
-- are read through the (last_modified_at, id) index (no sequential or bitmap
-- scan, which would return them in physical order) and updated in that
-- order. Called only by sync_reorganize_step, which checks its input first.
CREATE FUNCTION sync_reorganize_batch(p_table text, p_rows integer)
RETURNS TABLE (moved integer, rows_done bigint, finished boolean)
LANGUAGE plpgsql
SET session_replication_role = replica
SET enable_seqscan = off
SET enable_bitmapscan = off
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st @extschema@.sync_reorganize_progress;
    lower_bound constant text := ' WHERE (x.last_modified_at, x.id) OPERATOR(pg_catalog.>) ($1, $2)';
    from_start constant text := ' WHERE true';
    upper_ts timestamp;
    upper_id uuid;
    n integer;
BEGIN
    INSERT INTO @extschema@.sync_reorganize_progress (table_name) VALUES (p_table)
    ON CONFLICT (table_name) DO NOTHING;
    -- Locked: a second run of the same table waits for this step.
    SELECT * INTO st FROM @extschema@.sync_reorganize_progress p
    WHERE p.table_name = p_table FOR UPDATE;

    -- The batch's last key; none when fewer rows are left (the last batch
    -- then takes everything after the position, rows inserted meanwhile too).
    EXECUTE format('SELECT x.last_modified_at, x.id FROM @extschema@.%I x%s'
                   ' ORDER BY x.last_modified_at, x.id OFFSET $3 LIMIT 1',
                   p_table, CASE WHEN st.after_ts IS NULL THEN from_start ELSE lower_bound END)
    INTO upper_ts, upper_id USING st.after_ts, st.after_id, p_rows - 1;

    EXECUTE format('UPDATE @extschema@.%I x SET id = x.id%s%s', p_table,
                   CASE WHEN st.after_ts IS NULL THEN from_start ELSE lower_bound END,
                   CASE WHEN upper_ts IS NULL THEN ''
                        ELSE ' AND (x.last_modified_at, x.id) OPERATOR(pg_catalog.<=) ($3, $4)' END)
    USING st.after_ts, st.after_id, upper_ts, upper_id;
    GET DIAGNOSTICS n = ROW_COUNT;

    IF upper_ts IS NULL THEN
        DELETE FROM @extschema@.sync_reorganize_progress p WHERE p.table_name = p_table;
    ELSE
        UPDATE @extschema@.sync_reorganize_progress p
        SET after_ts = upper_ts, after_id = upper_id, rows_done = p.rows_done + n
        WHERE p.table_name = p_table;
    END IF;
    RETURN QUERY SELECT n, st.rows_done + n, upper_ts IS NULL;
END
$$;

CREATE FUNCTION sync_reorganize_step(p_table text, p_rows integer DEFAULT 10000)
RETURNS TABLE (moved integer, rows_done bigint, finished boolean)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_table IS NULL OR p_table NOT IN ('tune', 'note', 'reference') THEN
        RAISE EXCEPTION 'p_table must be one of note, reference, tune'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('p_table is %s.', coalesce(quote_literal(p_table), 'NULL'));
    END IF;
    IF p_rows IS NULL OR p_rows < 1 OR p_rows > 1000000 THEN
        RAISE EXCEPTION 'p_rows must be from 1 to 1000000'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('p_rows is %s.', coalesce(p_rows::text, 'NULL'));
    END IF;
    IF NOT pg_catalog.has_parameter_privilege('session_replication_role', 'SET') THEN
        RAISE EXCEPTION 'permission denied to reorganize %: the step runs with session_replication_role = replica', p_table
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Run it as a superuser, or GRANT SET ON PARAMETER session_replication_role TO the table''s owner.';
    END IF;
    -- Without the index the UPDATE would visit the rows in physical order.
    IF NOT EXISTS (SELECT FROM @extschema@.sync_required_indexes() i
                   WHERE i.table_name = p_table AND i.valid
                     AND i.index_name = 'genre_sync_' || p_table || '_last_modified_at_id_idx') THEN
        RAISE EXCEPTION 'the (last_modified_at, id) index of % is missing or invalid', p_table
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Create the supporting indexes first: SELECT * FROM sync_create_indexes(), or genre-sync-indexer.';
    END IF;
    RETURN QUERY SELECT * FROM @extschema@.sync_reorganize_batch(p_table, p_rows);
END
$$;
COMMENT ON FUNCTION sync_reorganize_step(text, integer) IS
'Rewrites the next p_rows rows of tune, note or reference in (last_modified_at, id) order; one call per transaction, see genre-sync-indexer --reorganize';
