-- The supporting indexes: sync_required_indexes() recognises equivalent
-- indexes by structure and sync_create_indexes() builds what is missing.
-- Everything happens in one transaction that is rolled back, so the shared
-- fixture stays as the other tests expect.
SET TimeZone = 'UTC';
BEGIN;

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

-- Whether the functions' queries use these indexes is tested on the very
-- SQL they run, with auto_explain, at a data size where the choice matters:
-- tests/integration/plans_explain.sh (pg_regress cannot capture the plans
-- of nested statements; a hand copy of the SQL here could not fail when the
-- real SQL changed).
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
