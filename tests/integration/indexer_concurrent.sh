#!/usr/bin/env bash
# genre-sync-indexer builds the index set live: writers insert and update
# note, reference and tune while it runs, with a lock_timeout so a blocked
# write fails instead of waiting. Passes when no write failed, the indexer
# exited 0, it repaired an invalid leftover, and every index of
# sync_required_indexes() is present and valid. A long writer transaction
# makes the first build time out on its lock and retry. Also checks the exit codes
# for usage, connection failure and permission denied.
#
# Needs PGHOST/PGPORT/PGUSER of a running cluster with the extension
# installed, and GS_INDEXER (or GS_BUILD_DIR) pointing at the build;
# GS_INDEXER_TEST_SCALE sets the datagen scale (default 10, the scale issue 3 names).
set -euo pipefail

# shellcheck source=lib/check.bash
. tests/integration/lib/check.bash
# shellcheck source=lib/indexer_tools.bash
. tests/integration/lib/indexer_tools.bash
# shellcheck source=lib/writers.bash
. tests/integration/lib/writers.bash
here=$(cd "$(dirname "$0")/../.." && pwd)
db=gs_indexer_concurrent_$$
role=gs_indexer_nonowner_$$
work=$(mktemp -d)

cleanup() {
  kill_writers
  dropdb --if-exists --force "$db" 2>/dev/null || true
  psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

createdb "$db"
if [ -x "$datagen" ]; then
  "$datagen" -q --scale "${GS_INDEXER_TEST_SCALE:-10}" --create-schema -d "$db" >/dev/null
else
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$here/tools/app_schema.sql"
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
INSERT INTO genre(id) SELECT 'g' || k FROM generate_series(1, 25) k;
INSERT INTO user_profile(id) SELECT gen_random_uuid() FROM generate_series(1, 60);
INSERT INTO tune(id, genre, last_modified_at)
SELECT gen_random_uuid(), 'g' || (1 + k % 25), now() - k * interval '1 min' FROM generate_series(1, 9000) k;
INSERT INTO note(id, tune_ref, last_modified_at)
SELECT gen_random_uuid(), id, last_modified_at FROM tune WHERE random() < 0.5;
INSERT INTO reference(id, url, tune_ref, last_modified_at)
SELECT gen_random_uuid(), 'u', id, last_modified_at FROM tune WHERE random() < 0.8;
INSERT INTO playlist(playlist_id, user_ref) SELECT gen_random_uuid(), id FROM user_profile;
ANALYZE;
SQL
fi
sql "CREATE EXTENSION genre_sync"

# A failed CREATE INDEX CONCURRENTLY leaves an invalid index behind: make one
# under our own name (a UNIQUE build over duplicate tune_refs fails late).
sql "INSERT INTO note(id, tune_ref) SELECT gen_random_uuid(), tune_ref FROM note WHERE tune_ref IS NOT NULL LIMIT 1"
if psql -X -q -d "$db" -c "CREATE UNIQUE INDEX CONCURRENTLY genre_sync_note_tune_ref_idx ON note (tune_ref)" 2>/dev/null; then
  fail "expected the unique build to fail"
fi
[ "$(sql "SELECT present AND NOT valid FROM sync_required_indexes() WHERE index_name = 'genre_sync_note_tune_ref_idx'")" = t ] \
  || fail "the leftover is not reported as present and invalid"
[ "$(sql "SELECT count(*) FROM sync_required_indexes() WHERE valid")" = 0 ] || fail "indexes present before the run"

# Usage and connection failures have their own exit codes.
set +e
"$indexer" --lock-timeout=0 -d "$db" >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --lock-timeout did not exit 2"
"$indexer" -h "$work/no-such-socket-dir" -d "$db" >/dev/null 2>&1; [ $? -eq 1 ] || fail "connection failure did not exit 1"
set -e

# Writers: each batch is a transaction of inserts and updates on the three
# synced tables. lock_timeout makes a write that would wait on the indexer
# an error; the writers must see none.
cat >"$work/write.sql" <<'SQL'
SET lock_timeout = '1s';
BEGIN;
INSERT INTO note(id, tune_ref, user_ref, note_text, last_modified_at)
SELECT gen_random_uuid(), t.id, NULL, 'concurrent', clock_timestamp()
FROM (SELECT id FROM tune OFFSET floor(random() * 500) LIMIT 1) t;
INSERT INTO reference(id, url, tune_ref, last_modified_at)
SELECT gen_random_uuid(), 'https://example.org/c', t.id, clock_timestamp()
FROM (SELECT id FROM tune OFFSET floor(random() * 500) LIMIT 1) t;
UPDATE note SET note_text = 'updated', last_modified_at = clock_timestamp()
WHERE id = (SELECT id FROM note OFFSET floor(random() * 500) LIMIT 1);
UPDATE reference SET comment = 'updated', last_modified_at = clock_timestamp()
WHERE id = (SELECT id FROM reference OFFSET floor(random() * 500) LIMIT 1);
UPDATE tune SET title = 'updated', last_modified_at = clock_timestamp()
WHERE id = (SELECT id FROM tune OFFSET floor(random() * 500) LIMIT 1);
COMMIT;
SQL
start_writers 3
sleep 1

# A writer whose transaction stays open for 3 s: CONCURRENTLY waits for it
# (and, with a 1 s lock timeout, retries) while the other writers go on; a
# plain CREATE INDEX would queue behind it and block them all.
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "BEGIN" \
  -c "INSERT INTO note(id, note_text) VALUES (gen_random_uuid(), 'long transaction')" \
  -c "SELECT pg_sleep(3)" -c "COMMIT" >/dev/null 2>"$work/long.err" &
long_writer=$!
sleep 0.5

notes_before=$(sql "SELECT count(*) FROM note")
set +e
"$indexer" --lock-timeout=1s --retries=10 -d "$db" >"$work/indexer.out" 2>"$work/indexer.err"
status=$?
set -e
wait "$long_writer" || { cat "$work/long.err" >&2; fail "the long writer failed"; }
notes_after=$(sql "SELECT count(*) FROM note")
sleep 1
stop_writers

[ "$status" -eq 0 ] || { cat "$work/indexer.out" "$work/indexer.err" >&2; fail "indexer exited $status"; }
check_writers
[ "$notes_after" -gt "$notes_before" ] || fail "no write committed while the indexer ran"
grep -q '^rebuild	genre_sync_note_tune_ref_idx' "$work/indexer.out" || fail "the invalid leftover was not planned for rebuild"
grep -q '^built 8 of 8 indexes; 8 present and valid$' "$work/indexer.out" \
  || { cat "$work/indexer.out" >&2; fail "unexpected summary"; }
# Progress comes from pg_stat_progress_create_index: a line per phase seen
# and a final line per index. At this size most phases pass between two
# samples, but the wait for the long writer lasts long enough to be seen.
[ "$(grep -c ' | valid | ' "$work/indexer.err")" -eq 8 ] || { cat "$work/indexer.err" >&2; fail "missing progress"; }
grep -q '^genre_sync_note_last_modified_at_id_idx | waiting for writers before build | blocks ' "$work/indexer.err" \
  || { cat "$work/indexer.err" >&2; fail "the wait for writers was not shown"; }
grep -q '^genre_sync_note_last_modified_at_id_idx | lock timeout, retrying | ' "$work/indexer.err" \
  || { cat "$work/indexer.err" >&2; fail "the build did not wait for the long writer"; }

[ "$(sql "SELECT count(*) FROM sync_required_indexes() WHERE present AND valid AND existing_index = index_name")" = 8 ] \
  || fail "not every required index is present and valid"
[ "$(sql "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
          WHERE c.relnamespace = 'public'::regnamespace AND NOT (i.indisvalid AND i.indisready)")" = 0 ] \
  || fail "an invalid index is left"

# A second run has nothing to do.
"$indexer" -q -d "$db" >"$work/again.out" || fail "second run failed"
grep -q '^built 0 of 8 indexes; 8 present and valid$' "$work/again.out" || fail "second run rebuilt something"

# Building needs ownership: a role that may read the plan but owns nothing
# gets exit code 3 and a message naming the table.
sql "DROP INDEX genre_sync_playlist_user_ref_idx"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
CREATE ROLE $role LOGIN;
GRANT EXECUTE ON FUNCTION sync_required_indexes() TO $role;
SQL
set +e
"$indexer" -U "$role" -d "$db" >/dev/null 2>"$work/denied.err"
status=$?
set -e
[ "$status" -eq 3 ] || { cat "$work/denied.err" >&2; fail "permission denied exited $status, not 3"; }
grep -q 'requires ownership of table public.playlist' "$work/denied.err" || { cat "$work/denied.err" >&2; fail "unclear permission message"; }

echo "indexer_concurrent: ok"
