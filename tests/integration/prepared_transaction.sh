#!/usr/bin/env bash
# A pending prepared transaction makes the safe horizon unknown (PostgreSQL
# keeps no start time for it, so its rows may carry any earlier stamp): the
# envelope says so, the pages return nothing new, and the horizon comes back
# when the transaction is committed. Runs its own cluster, since it needs
# max_prepared_transactions > 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lib/fixture_db.bash
. tests/integration/lib/fixture_db.bash

dir=$(mktemp -d /tmp/genre-sync-2pc.XXXXXX)
trap 'tools/pg-throwaway stop "$dir" || true' EXIT
fail() { echo "prepared_transaction: $*" >&2; exit 1; }

# shellcheck disable=SC1090
. "$(tools/pg-throwaway start "$dir" -c max_prepared_transactions=5)"
create_fixture_db gs_prepared
export PGDATABASE=gs_prepared
q() { psql -X -At -v ON_ERROR_STOP=1 -c "$1"; }
user="md5('user8')::uuid"
page="SELECT sync_safe_horizon() IS NULL, (SELECT count(*) FROM sync_notes_page($user, NULL)) > 0,
             e->>'horizon_source', e->>'row_count', e->>'horizon_reason'
      FROM sync_pull('note', $user) e"

before=$(q "$page")
[ "${before%%|*}" = f ] && [[ $before == "f|t|primary|"* ]] || fail "before: $before"

q "BEGIN; INSERT INTO note (id, tune_ref, last_modified_at)
   VALUES ('00000000-0000-0000-0000-0000000002bc', md5('tune2')::uuid, now() AT TIME ZONE 'UTC');
   PREPARE TRANSACTION 'genre_sync_test';" >/dev/null
pending=$(q "$page")
[ "$pending" = "t|f|unknown|0|a prepared transaction of this database is pending" ] \
  || fail "while prepared: $pending"

q "COMMIT PREPARED 'genre_sync_test'" >/dev/null
after=$(q "$page")
[[ $after == "f|t|primary|"* ]] || fail "after commit: $after"
echo "prepared_transaction: ok"
