# shellcheck shell=bash disable=SC2154  # db: the sourcing test's
# Sourced by integration tests, which run from the repository's top.
#
# fail MESSAGE...: "<test>: FAIL: MESSAGE" on stderr (<test>: the script's
# name without .sh), and the test exits 1.
# sql QUERY: runs QUERY in database $db, prints the result unaligned without
# headers; a failing query fails the caller (ON_ERROR_STOP, set -e).
# sql_in DB QUERY: the same in database DB.
fail() {
  local test=${0##*/}
  echo "${test%.sh}: FAIL: $*" >&2
  exit 1
}
sql_in() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
sql() { sql_in "$db" "$1"; }
