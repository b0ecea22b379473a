#!/usr/bin/env bash
# No missed rows: for each writer pattern, writers (and one long transaction
# that commits after the initial pull) change the rows a user syncs while a
# client pulls with sync_pull and syncs incrementally; its replica must end
# equal to the server's filtered set. Fixed seed; a fresh database each run.
set -euo pipefail
cd "$(dirname "$0")/../.."

client=${GS_BUILD_DIR:-build}/tests/convergence/genre-sync-convergence
[ -x "$client" ] || { echo "convergence: $client not built" >&2; exit 1; }
db=gs_convergence
trap 'dropdb --if-exists "$db"' EXIT

for pattern in updates inserts mixed; do
  dropdb --if-exists "$db"
  createdb "$db"
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
SET client_min_messages = warning;
\i tools/app_schema.sql
\i sql/include/fixture.sql
CREATE EXTENSION genre_sync;
\i bench/sql/seed_rpcs.sql
SQL
  PGDATABASE=$db "$client" "$pattern" 42 4
done
echo "convergence: ok"
