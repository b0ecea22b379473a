#!/usr/bin/env bash
# Cancellation: a sync call that would run for minutes stops within a
# second of statement_timeout or of pg_cancel_backend() from another
# session, with SQLSTATE 57014, and the same session then answers and syncs
# again. The bound is README's "under a second": measured 0.17 to 0.40 s
# over three runs (12 cancels) on the 2-core machine at load average 8; the
# figure includes psql's connection for the statement_timeout cases. It was
# 3 s, which README's "a fraction of a second" did not say.
#
# Seen to fail: with CANCEL_SLACK=0.1 (below every measured time) all four
# cases reported "took longer than 0.1 s to stop". Two workloads: a page under an (expensive) RLS policy, i.e. executor
# work inside the function's SPI query, and sync_pull normalizing a genre
# array of 3 million elements (about a minute uncanceled).
#
# Needs PGHOST/PGPORT/PGUSER of a running cluster (superuser) with genre_sync
# installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

db=gs_cancel_$$
role=gs_test_cancel_$$
slack=${CANCEL_SLACK:-1}   # seconds a canceled call may take to end
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

psql -X -q -d postgres -c "CREATE DATABASE $db"
cleanup() {
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP ROLE IF EXISTS $role" \
      >/dev/null 2>&1 || true
}
trap cleanup EXIT

psql_db -c "SET client_min_messages = warning" -f tools/app_schema.sql -f - <<SQL >/dev/null
CREATE EXTENSION genre_sync;
INSERT INTO genre VALUES ('g');
INSERT INTO tune (id, genre, last_modified_at)
SELECT md5('t' || i)::uuid, 'g', timestamp '2024-01-01' + i * interval '1 second'
FROM generate_series(1, 20000) i;
INSERT INTO note (id, tune_ref, last_modified_at)
SELECT md5('n' || i)::uuid, md5('t' || (1 + i % 20000))::uuid,
       timestamp '2024-01-01' + i * interval '1 second'
FROM generate_series(1, 100000) i;
ANALYZE;
-- About 10 ms a row (2-core machine): a page of the 100,000 notes would
-- take some 20 minutes.
CREATE FUNCTION slow_policy() RETURNS boolean LANGUAGE plpgsql AS \$\$
BEGIN
    FOR i IN 1 .. 500000 LOOP END LOOP;
    RETURN true;
END
\$\$;
ALTER TABLE note ENABLE ROW LEVEL SECURITY;
CREATE POLICY slow ON note FOR SELECT USING (slow_policy());
CREATE ROLE $role;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO $role;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO $role;
SQL

page_call="SELECT count(*) FROM sync_notes_page(md5('u')::uuid, '{g}', p_limit => 10000)"
pull_call="SELECT sync_pull('tune', md5('u')::uuid,
                            (SELECT array_agg(md5(i::text)) FROM generate_series(1, 3000000) i)) IS NULL"
after_call="SELECT count(*) AS rows_after FROM sync_tunes_page(md5('u')::uuid, '{g}', p_limit => 5)"

failed=0
# check NAME OUTPUT CANCELED_AT: the call failed with 57014 within $slack s
# of CANCELED_AT (epoch seconds) and the session then ran $after_call.
check() {
  local name=$1 output=$2 canceled_at=$3 ended_at
  ended_at=$(sed -n 's/^ended_at=//p' <<<"$output")
  if ! grep -q "^ERROR:  57014: canceling statement due to" <<<"$output"; then
    echo "cancel: $name was not canceled with 57014:"; echo "$output"; failed=1; return
  fi
  if ! grep -q "^rows_after=5$" <<<"$output"; then
    echo "cancel: $name left the session unusable:"; echo "$output"; failed=1; return
  fi
  local took
  took=$(awk -v a="$canceled_at" -v b="$ended_at" 'BEGIN { printf "%.2f", b - a }')
  echo "cancel: $name ended $took s after the cancel"
  if awk -v t="$took" -v s="$slack" 'BEGIN { exit !(t > s) }'; then
    echo "cancel: $name took longer than $slack s to stop"; failed=1
  fi
}

# victim CALL [SETTINGS]: runs CALL in a session named after this run, then
# the follow-up call; prints the outcome.
victim() {
  psql -X -d "$db" -At -v VERBOSITY=verbose 2>&1 <<SQL || true
SET application_name = 'victim_$$';
SET ROLE $role;
$2
$1;
SELECT 'ended_at=' || extract(epoch FROM clock_timestamp());
RESET statement_timeout;
SELECT 'rows_after=' || count(*) FROM sync_tunes_page(md5('u')::uuid, '{g}', p_limit => 5);
SQL
}

for call_name in page pull; do
  call=${call_name}_call; call=${!call}

  # statement_timeout: the cancel comes 2 s after the statement started.
  start=$(date +%s.%N)
  out=$(victim "$call" "SET statement_timeout = '2s';")
  check "$call_name, statement_timeout" "$out" "$(awk -v s="$start" 'BEGIN { printf "%.3f", s + 2 }')"

  # pg_cancel_backend from another session, once the call has run 2 s.
  out_file=$(mktemp)
  victim "$call" "" >"$out_file" &
  victim_pid=$!
  pid=""
  for _ in $(seq 1 100); do
    pid=$(psql -X -At -d "$db" -c "SELECT pid FROM pg_stat_activity
                                    WHERE application_name = 'victim_$$' AND state = 'active'
                                      AND query LIKE '%sync_%'")
    [ -n "$pid" ] && break
    sleep 0.1
  done
  if [ -z "$pid" ]; then
    echo "cancel: $call_name did not start"; failed=1; wait "$victim_pid"; continue
  fi
  sleep 2
  canceled_at=$(date +%s.%N)
  psql -X -At -d "$db" -c "SELECT pg_cancel_backend($pid)" >/dev/null
  wait "$victim_pid"
  check "$call_name, pg_cancel_backend" "$(cat "$out_file")" "$canceled_at"
  rm -f "$out_file"
done
exit "$failed"
