#!/usr/bin/env bash
# The JavaScript worker library (clients/js) against the extension: its unit
# tests and its integration tests (postgres.js and a fake PostgREST, a SQLite
# replica that must converge exactly) with node's test runner.
#
# Installs the package's dependencies with `npm ci` from its package-lock.json;
# better-sqlite3 compiles from source here (no prebuilt binary can be fetched),
# which took 2-4 minutes of wall clock on the 2-core machine, so node_modules is
# kept while the lock file (and node) stay the same (then the script takes about
# 50 s): GS_JS_NPM_CI=always forces a fresh `npm ci`.
#
# Needs PGHOST/PGPORT/PGUSER of a running cluster (superuser) with genre_sync
# installed; makes its own template database (app schema, the pg_regress
# fixture, clients/js/test/setup.sql, the extension) and each test file copies it.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lib/fixture_db.bash
. tests/integration/lib/fixture_db.bash

command -v node >/dev/null && command -v npm >/dev/null || { echo "js_client: node and npm are required" >&2; exit 1; }

js=clients/js
stamp=$js/node_modules/.genre-sync-stamp
want="$(node --version) $(sha256sum "$js/package-lock.json" | cut -d' ' -f1)"
if [ "${GS_JS_NPM_CI:-}" = always ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "js_client: npm ci (better-sqlite3 builds from source: a few minutes)"
  # node-gyp takes the installed headers instead of downloading them.
  nodedir=$(dirname "$(dirname "$(command -v node)")")
  [ -f "$nodedir/include/node/node_api.h" ] && export npm_config_nodedir=$nodedir
  # SQLite unoptimized: the tests' replica is small, and -O0 compiles in a
  # third of the time.
  (cd "$js" && CFLAGS=-O0 npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
  echo "$want" >"$stamp"
fi

template=gs_js_template_$$
export GS_JS_TEMPLATE=$template
cleanup() {
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $template" >/dev/null 2>&1 || true
}
trap cleanup EXIT
create_fixture_db "$template" "$js/test/setup.sql"

cd "$js"
node --test --test-concurrency=1 test/*.test.js
