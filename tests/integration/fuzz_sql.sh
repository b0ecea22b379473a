#!/usr/bin/env bash
# The SQL fuzzer: every function of genre_sync called thousands of times with
# random and hostile arguments (tests/integration/fuzz/fuzz_sql.sql says
# which). Fails when a call returns something else than the reference, raises
# a SQLSTATE that is not documented, or when the server crashed: a backend
# killed by a signal makes the postmaster restart every other process (the
# checkpointer gets a new pid) and leaves "terminated by signal" in the log.
#
# Needs PGHOST/PGPORT/PGUSER of a running cluster (superuser) with genre_sync
# installed. FUZZ_SEED (in [0, 1), default 0.4242) and FUZZ_ROUNDS (default 8 sessions
# of FUZZ_CALLS=400 rounds over every function) size the run.
#
# A default run took 57 s in make test and 74 s alone at load average 2.6 on
# the 2-core machine; the same run with the previous oracle (no reference for
# sync_pull, checksums and bounds, no argument judged) took 20 s.
set -euo pipefail
cd "$(dirname "$0")/../.."

seed=${FUZZ_SEED:-0.4242}
rounds=${FUZZ_ROUNDS:-8}
calls=${FUZZ_CALLS:-400}
db=gs_fuzz_$$
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

log=${PGHOST:-}/server.log
[ -f "$log" ] || log=""
log_offset=0
[ -n "$log" ] && log_offset=$(stat -c %s "$log")

psql -X -q -d postgres -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
psql_db -c "SET client_min_messages = warning" -f tools/app_schema.sql \
    -f sql/include/fixture.sql -f bench/sql/seed_rpcs.sql \
    -c "CREATE EXTENSION genre_sync" -f tests/integration/fuzz/fuzz_sql.sql >/dev/null
checkpointer="SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'"
checkpointer_before=$(psql_db -At -c "$checkpointer")

status=0
start=$SECONDS
for round in $(seq 1 "$rounds"); do
  # One session per round: each starts with no kept plans and a fresh cache.
  if ! psql_db -c "SELECT fuzz.run($seed, $round, $calls)" >/dev/null; then
    echo "fuzz_sql: round $round ended its session abnormally" >&2
    status=1
  fi
done

psql_db -c "SELECT fn, sqlstate, calls FROM fuzz.outcome ORDER BY fn, sqlstate"
total=$(psql_db -At -c "SELECT sum(calls) FROM fuzz.outcome")
failures=$(psql_db -At -c "SELECT count(*) FROM fuzz.failure")
echo "fuzz_sql: $total calls in $((SECONDS - start)) s, $failures failures"
if [ "$failures" != 0 ]; then
  psql_db -c "SELECT fn, left(problem, 60) AS problem, count(*) FROM fuzz.failure GROUP BY 1, 2 ORDER BY 1, 2"
  psql_db -c "SELECT DISTINCT ON (fn, left(problem, 60)) fn, problem, max_page_size, left(call, 400) AS call
              FROM fuzz.failure ORDER BY fn, left(problem, 60)"
  status=1
fi
if [ "$(psql_db -At -c "$checkpointer" || true)" != "$checkpointer_before" ]; then
  echo "fuzz_sql: the server restarted its processes (a backend crashed)" >&2
  status=1
fi
if [ -n "$log" ] && tail -c +"$((log_offset + 1))" "$log" |
     grep -E "terminated by signal|was terminated|PANIC|TRAP:|server process .* exited" ; then
  echo "fuzz_sql: the server log reports a crashed backend" >&2
  status=1
fi
exit "$status"
