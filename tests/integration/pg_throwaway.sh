#!/usr/bin/env bash
# tools/pg-throwaway restart: a cluster comes back on its port, with the
# options it was started with and its data, whether it was running or
# stopped; a directory without a cluster is refused.
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=$(mktemp -d /tmp/gs-throwaway-test.XXXXXX)
trap 'tools/pg-throwaway stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
fail() { echo "pg_throwaway: FAIL: $*" >&2; exit 1; }
# shellcheck disable=SC1091
env_port() { (. "$dir/env" && echo "$PGPORT"); }
# shellcheck disable=SC1091
q() { (. "$dir/env" && psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"); }

tools/pg-throwaway start "$dir" -c work_mem=7MB -c "search_path=public, pg_catalog" >/dev/null
port=$(env_port)
q "CREATE TABLE kept AS SELECT 42 AS answer"

for state in running stopped; do
  [ "$state" = stopped ] && tools/pg-throwaway stop "$dir"
  [ "$(tools/pg-throwaway restart "$dir")" = "$dir/env" ] || fail "restart ($state) did not print its env file"
  [ "$(env_port)" = "$port" ] || fail "restart ($state) moved off port $port"
  [ "$(q 'SHOW work_mem')" = 7MB ] || fail "restart ($state) lost -c work_mem=7MB"
  [ "$(q 'SHOW search_path')" = "public, pg_catalog" ] || fail "restart ($state) split an option's value"
  [ "$(q 'SELECT answer FROM kept')" = 42 ] || fail "restart ($state) lost the data"
done

empty=$(mktemp -d /tmp/gs-throwaway-empty.XXXXXX)
status=0
err=$(tools/pg-throwaway restart "$empty" 2>&1) || status=$?
rmdir "$empty"
if [ "$status" != 1 ] || [ "$err" != "pg-throwaway: no cluster in $empty" ]; then
  fail "restart of an empty directory: exit $status, '$err'"
fi

echo "pg_throwaway: ok"
