#!/usr/bin/env bash
# genre-sync-indexer --reorganize rewrites note in (last_modified_at, id)
# order while writers update, insert and delete notes. The app has its own
# trigger that stamps last_modified_at and bumps sync_version on UPDATE.
# A whole run, then a second one interrupted (SIGINT: exit 5, progress kept)
# and run again (it resumes). Passes when:
#   - no write is lost: every note a writer updated has sync_version = its
#     value before + the number of committed updates the writers logged, the
#     inserted notes are there and the deleted ones are gone;
#   - every note no writer touched is exactly as before, last_modified_at
#     included (the app trigger did not fire for the reorganisation);
#   - no move was recorded and sync_check_key_index() finds the key index exact;
#   - after the whole run the untouched notes lie in key order: at most 2%
#     of consecutive pairs in (last_modified_at, id) order go back in the heap
#     (before: about half); and the progress row is gone. (Not asserted after
#     the interrupted run: once its snapshot is gone, the pages it moved rows
#     out of are pruned, and the resumed part's rows that fit stay in place;
#     24.5% of pairs went back in one run. docs/indexes.md says so.)
#
# Seen to fail: with the snapshot holder's BEGIN and COMMIT taken out of
# tools/indexer/reorganize.cpp (so the run's old versions could be pruned),
# the order check failed (45.5% of pairs went back). The app trigger's case
# is sql/reorganize.sql's (there the broken step never finished).
#
# Needs PGHOST/PGPORT/PGUSER of a running cluster (superuser) with the
# extension installed, and GS_INDEXER (or GS_BUILD_DIR) pointing at the build.
set -euo pipefail

# shellcheck source=lib/check.bash
. tests/integration/lib/check.bash
# shellcheck source=lib/indexer_tools.bash
. tests/integration/lib/indexer_tools.bash
# shellcheck source=lib/writers.bash
. tests/integration/lib/writers.bash
db=gs_reorganize_$$
work=$(mktemp -d)

cleanup() {
  kill_writers
  dropdb --if-exists --force "$db" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$datagen" ] || fail "no datagen at $datagen"
createdb "$db"
"$datagen" -q --scale "${GS_REORGANIZE_TEST_SCALE:-5}" --create-schema -d "$db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
CREATE EXTENSION genre_sync;
SELECT * FROM sync_create_indexes();
SELECT * FROM sync_enable_key_index();
CREATE FUNCTION app_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_modified_at := clock_timestamp();
    NEW.sync_version := OLD.sync_version + 1;
    RETURN NEW;
END $$;
CREATE TRIGGER app_stamp BEFORE UPDATE ON note FOR EACH ROW EXECUTE FUNCTION app_stamp();
-- What the writers did, written in their own transactions.
CREATE TABLE written (id uuid NOT NULL, op text NOT NULL);
CREATE TABLE note_before AS TABLE note;
VACUUM ANALYZE;
SQL
# The generated rows lie in random order: about half the pairs go back.
backwards_sql="SELECT round(100.0 * count(*) FILTER (WHERE back) / count(*), 1) FROM (
  SELECT ctid < lag(ctid) OVER (ORDER BY last_modified_at, id) AS back FROM note n
  WHERE NOT EXISTS (SELECT FROM written w WHERE w.id = n.id)) s WHERE back IS NOT NULL"
before=$(sql "$backwards_sql")
awk -v b="$before" 'BEGIN { exit !(b > 30) }' || fail "the generated notes are already in order ($before% backwards)"

# Writers: each transaction updates one note (the app trigger bumps its
# sync_version), inserts one and deletes one it inserted before, and logs it.
cat >"$work/write.sql" <<'SQL'
BEGIN;
WITH u AS (UPDATE note SET note_text = 'updated'
           WHERE id = (SELECT id FROM note_before OFFSET floor(random() * 7000) LIMIT 1) RETURNING id)
INSERT INTO written SELECT id, 'update' FROM u;
WITH i AS (INSERT INTO note (id, tune_ref, note_text, last_modified_at)
           SELECT gen_random_uuid(), tune_ref, 'inserted', clock_timestamp() FROM note_before LIMIT 1
           RETURNING id)
INSERT INTO written SELECT id, 'insert' FROM i;
WITH d AS (DELETE FROM note WHERE id = (SELECT w.id FROM written w WHERE w.op = 'insert'
                                        AND NOT EXISTS (SELECT FROM written x WHERE x.id = w.id AND x.op = 'delete')
                                        ORDER BY random() LIMIT 1) RETURNING id)
INSERT INTO written SELECT id, 'delete' FROM d;
COMMIT;
SQL
start_writers 2
sleep 1

# A whole run: the untouched notes end in key order.
"$indexer" --reorganize=note --batch-rows=200 -d "$db" >"$work/whole.out" 2>"$work/whole.err" \
  || { cat "$work/whole.out" "$work/whole.err" >&2; fail "the run failed"; }
after=$(sql "$backwards_sql")
awk -v a="$after" 'BEGIN { exit !(a <= 2) }' || fail "not in key order: $after% of pairs go back (before: $before%)"
[ "$(sql "SELECT count(*) FROM sync_reorganize_progress")" = 0 ] || fail "the progress row is left"

# A second run, interrupted after a few batches, then resumed. A session
# holding a lock on a note halfway along the key order stops the run there
# whatever the machine's speed: the interrupt comes once batches are done
# and before the run can finish; the lock is let go after it.
midway=$(sql "SELECT id FROM note ORDER BY last_modified_at, id OFFSET (SELECT count(*) / 2 FROM note) LIMIT 1")
psql -X -q -d "$db" -c "SET application_name = 'gs_reorganize_lock'" \
  -c "BEGIN" -c "SELECT 1 FROM note WHERE id = '$midway' FOR UPDATE" -c "SELECT pg_sleep(120)" \
  >/dev/null 2>&1 &
locker=$!
for _ in $(seq 1 600); do
  [ "$(sql "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
            WHERE a.application_name = 'gs_reorganize_lock' AND l.locktype = 'transactionid'")" -gt 0 ] && break
  sleep 0.1
done
set +e
"$indexer" --reorganize=note --batch-rows=200 -d "$db" >"$work/first.out" 2>"$work/first.err" &
first=$!
for _ in $(seq 1 600); do
  [ "$(sql "SELECT coalesce(max(rows_done), 0) FROM sync_reorganize_progress")" -gt 0 ] && break
  sleep 0.1
done
kill -INT "$first"
sleep 0.5
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
     WHERE application_name = 'gs_reorganize_lock'" >/dev/null
wait "$locker"
wait "$first"
status=$?
set -e
[ "$status" -eq 5 ] || { cat "$work/first.out" "$work/first.err" >&2; fail "interrupted run exited $status, not 5"; }
grep -q 'interrupted, run again to resume' "$work/first.out" || fail "no resume message"
done_rows=$(sql "SELECT rows_done FROM sync_reorganize_progress WHERE table_name = 'note'")
[ "${done_rows:-0}" -gt 0 ] || fail "no progress kept after the interrupt"
"$indexer" --reorganize=note --batch-rows=200 -d "$db" >"$work/second.out" 2>"$work/second.err" \
  || { cat "$work/second.out" "$work/second.err" >&2; fail "resumed run failed"; }
grep -q '(resumed)' "$work/second.err" || { cat "$work/second.err" >&2; fail "the second run did not resume"; }
sleep 0.5
stop_writers
check_writers
[ "$(sql "SELECT count(*) FROM written WHERE op = 'update'")" -gt 0 ] || fail "no update committed"

lost=$(sql "SELECT count(*) FROM (SELECT id, count(*) AS n FROM written WHERE op = 'update' GROUP BY id) w
            JOIN note_before b USING (id) JOIN note n USING (id) WHERE n.sync_version <> b.sync_version + w.n")
[ "$lost" = 0 ] || fail "updates lost on $lost notes"
missing=$(sql "SELECT count(*) FROM written w WHERE w.op = 'insert'
               AND NOT EXISTS (SELECT FROM written d WHERE d.id = w.id AND d.op = 'delete')
               AND NOT EXISTS (SELECT FROM note n WHERE n.id = w.id)")
[ "$missing" = 0 ] || fail "$missing inserted notes missing"
[ "$(sql "SELECT count(*) FROM note n JOIN written d ON d.id = n.id AND d.op = 'delete'")" = 0 ] \
  || fail "deleted notes are back"
changed=$(sql "SELECT count(*) FROM (
  (SELECT * FROM note n WHERE NOT EXISTS (SELECT FROM written w WHERE w.id = n.id)
   EXCEPT ALL SELECT * FROM note_before b WHERE NOT EXISTS (SELECT FROM written w WHERE w.id = b.id))
  UNION ALL
  (SELECT * FROM note_before b WHERE NOT EXISTS (SELECT FROM written w WHERE w.id = b.id)
   EXCEPT ALL SELECT * FROM note n WHERE NOT EXISTS (SELECT FROM written w WHERE w.id = n.id))) d")
[ "$changed" = 0 ] || fail "untouched notes changed: $changed"
[ "$(sql "SELECT count(*) FROM sync_move")" = 0 ] || fail "moves were recorded"
[ "$(sql "SELECT bool_and(enabled AND missing = 0 AND wrong = 0 AND extra = 0) FROM sync_check_key_index()")" = t ] \
  || fail "the key index is not exact"
[ "$(sql "SELECT count(*) FROM sync_reorganize_progress")" = 0 ] || fail "the progress row is left"

echo "reorganize_concurrent: ok (pairs going back: $before% before, $after% after)"
