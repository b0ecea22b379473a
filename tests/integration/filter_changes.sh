#!/usr/bin/env bash
# Filter changes: after every kind of change to a user's filter, one sync past
# the horizon leaves a worker's replica equal to the user's filtered rows
# (genre-sync-filter-changes, see tests/convergence/filter_changes.cpp); then
# the same with writers racing the worker. Scale-1 generated data, fixed
# seeds, a fresh database per run, the horizon's margin at 10 ms so waiting
# for it is short.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${GS_BUILD_DIR:-build}
client=$build/tests/convergence/genre-sync-filter-changes
datagen=$build/tools/datagen/genre-sync-datagen
for tool in "$client" "$datagen"; do
  [ -x "$tool" ] || { echo "filter_changes: $tool not built" >&2; exit 1; }
done
db=gs_filter_changes
trap 'dropdb --if-exists "$db"' EXIT

fresh_db() {
  dropdb --if-exists "$db" 2>/dev/null
  createdb "$db"
  "$datagen" --scale 1 --create-schema -q -d "$db" >/dev/null
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f bench/sql/seed_rpcs.sql >/dev/null
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION genre_sync;
SELECT sync_create_indexes();
ALTER DATABASE $db SET genre_sync.horizon_margin = '10ms';
SQL
}

# Both runs run, whatever the first says; the test fails if either did.
status=0
fresh_db
PGDATABASE=$db "$client" --seed 42 --mixed-seconds 4 "$@" || status=1
# The mixed run again with small pages, so writers commit between the pages
# of a pull (catch-up pages included), and with the key index on.
fresh_db
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SELECT sync_enable_key_index()" >/dev/null
PGDATABASE=$db "$client" --only mixed --seed 43 --mixed-seconds 3 --page-size 50 "$@" || status=1
[ "$status" -eq 0 ] && echo "filter_changes: ok"
exit "$status"
