#!/usr/bin/env bash
# No missed rows: for each writer pattern, writers (and one long transaction
# that commits after the initial pull) change the rows a user syncs while a
# client pulls with sync_pull and syncs incrementally; its replica must end
# equal to the server's filtered set. Fixed seed; a fresh database each run.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lib/fixture_db.bash
. tests/integration/lib/fixture_db.bash

client=${GS_BUILD_DIR:-build}/tests/convergence/genre-sync-convergence
[ -x "$client" ] || { echo "convergence: $client not built" >&2; exit 1; }
db=gs_convergence
trap 'dropdb --if-exists "$db"' EXIT

for pattern in updates inserts mixed; do
  dropdb --if-exists "$db"
  create_fixture_db "$db" bench/sql/seed_rpcs.sql
  PGDATABASE=$db "$client" "$pattern" 42 4
done
echo "convergence: ok"
