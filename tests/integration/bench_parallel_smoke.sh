#!/usr/bin/env bash
# CI smoke test of `genre-sync-bench parallel` at scale 1: the all-genre
# user's notes and references over 1 and 4 connections (with a simulated
# 5 ms round trip) must come back as exactly the rows of the sequential pull,
# whose row counts must match the drop-in functions', and where the CPU went
# is reported. Then the bench must
# notice a wrong parallel pull: with a second "host" that lacks the notes, it
# has to exit 3 with CORRECTNESS BUG.
#
# Needs PGHOST/PGPORT/PGUSER of a running cluster with the extension
# installed, and GS_BUILD_DIR pointing at the CMake build.
set -euo pipefail

# shellcheck source=lib/check.bash
. tests/integration/lib/check.bash

build=${GS_BUILD_DIR:?set GS_BUILD_DIR to the CMake build directory}
bench=$build/bench/genre-sync-bench
datagen=$build/tools/datagen/genre-sync-datagen
db=gs_bench_parallel_$$
other=${db}_other
work=$(mktemp -d)

cleanup() {
  dropdb --if-exists --force "$db" 2>/dev/null || true
  dropdb --if-exists --force "$other" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$bench" ] || fail "no bench at $bench"
[ -x "$datagen" ] || fail "no datagen at $datagen"
createdb "$db"
"$datagen" -q --scale 1 --create-schema -d "$db" >/dev/null
sql_in "$db" "CREATE EXTENSION genre_sync" >/dev/null

status=0
"$bench" parallel -d "$db" -c 1,4 --rtt-ms 5 -t 1 --warmup 0 --tables notes,references \
  --json "$work/result.json" >"$work/out" 2>"$work/err" || status=$?
[ "$status" = 0 ] || { cat "$work/out" "$work/err" >&2; fail "bench exited $status"; }
grep -q '^every run returned exactly the rows of the sequential pull' "$work/out" \
  || { cat "$work/out" >&2; fail "no row check reported"; }
grep -q '^network round trip: 5 ms per request, SIMULATED' "$work/out" || fail "the simulated delay is not stated"

# The bench's sequential pull must be the drop-in functions' whole result.
user=$(sql_in "$db" "SELECT id FROM user_profile WHERE name = 'all-genre-user'")
for t in notes references; do
  want=$(sql_in "$db" "SELECT count(*) FROM sync_get_user_$t('$user', sync_get_effective_genres('$user'), NULL, 10000, 0)")
  [ "$want" -gt 0 ] || fail "the all-genre user has no $t"
  grep -Eq "^all-genre $t: $want rows, order-independent digest [0-9a-f]{16} \\(sequential pull\\)$" "$work/out" \
    || { cat "$work/out" >&2; fail "$t: the sequential pull did not return the drop-in's $want rows"; }
  for p in 1 4; do
    grep -Eq "^$p +$want " "$work/out" || { cat "$work/out" >&2; fail "$t at P=$p did not fetch $want rows"; }
  done
done
grep -q '"rtt_simulated": true' "$work/result.json" || fail "--json does not say the delay was simulated"
# The server is this machine's: where the CPU went is shown, the backends'
# share above zero (they built every page).
grep -Eq '^P +client cpu ms +server cpu ms +runnable ms +cores busy +cpu us/row$' "$work/out" \
  || { cat "$work/out" >&2; fail "no CPU table for a server on this machine"; }
grep -Eq '^4 +[0-9]+\.[0-9] +[0-9]*[1-9][0-9]*\.[0-9] ' "$work/out" \
  || { cat "$work/out" >&2; fail "no server CPU at P=4"; }
grep -Eq '"server_cpu_ms_median": [0-9]' "$work/result.json" || fail "--json has no server CPU"

# A second "host" without notes: connections 2 and 4 read from it, so the
# parallel pull lacks the rows of the ranges they took. Pages of 100 rows
# keep the 4 parts of 931 notes apart (parts that fit in one page together
# are fetched as one range), and connections 1 and 3 cannot take every range
# first: each sleeps the simulated 20 ms before its request, long after the
# other threads have started.
createdb -T "$db" "$other"
sql_in "$other" "DELETE FROM note" >/dev/null
status=0
"$bench" parallel -d "$db" -d "$other" -c 4 --rtt-ms 20 -t 1 --warmup 0 --tables notes --page-size 100 \
  >"$work/out" 2>"$work/err" || status=$?
[ "$status" = 3 ] || { cat "$work/out" "$work/err" >&2; fail "a pull with rows missing exited $status, not 3"; }
grep -Eq 'CORRECTNESS BUG: all-genre notes with 4 connection\(s\) differs from the sequential pull: [0-9]+ missing \(e\.g\. [0-9a-f-]{36} at ' \
  "$work/err" || { cat "$work/err" >&2; fail "the missing rows were not reported"; }

echo "bench_parallel_smoke: ok"
