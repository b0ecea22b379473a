#!/usr/bin/env bash
# What `make bench` runs: from a fresh clone, build and install everything,
# load a generated dataset into a throwaway cluster, and print the headline
# table (the seed plan's OFFSET RPCs against genre_sync's keyset pages), then
# `genre-sync-bench paths` over a second copy of the data stored in time
# order: per layout and path (default, key index, RLS caller) ours against
# the DBA's keyset and COPY, and the per-call cost.
#
#   bench/make-bench.sh [--scale N] [-t REPS] [--paths-only] [--calls N] [--peer-limit SEC]
#
# Scale 1 is the seed plan's size (default); `--scale 10` for ten times that.
# --paths-only skips the seed's OFFSET functions (hours at scale 1000) and
# runs only `paths`; --calls sets its per-call repetitions (default 20),
# --peer-limit stops its DBA keyset pulls after SEC seconds (default: none;
# the RLS caller's plain SQL takes hours at scale 1000).
# Everything but the tables goes to a log, printed only if a step fails.
# BUILD_DIR overrides the CMake build directory (default: build/).
# The full results are kept as JSON in bench/out/.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
scale=1
reps=3
paths_only=false
calls=20
peer_limit=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=${2:?--scale needs a value}; shift 2 ;;
    --scale=*) scale=${1#--scale=}; shift ;;
    -t) reps=${2:?-t needs a value}; shift 2 ;;
    --paths-only) paths_only=true; shift ;;
    --calls) calls=${2:?--calls needs a value}; shift 2 ;;
    --peer-limit) peer_limit=(--peer-limit "${2:?--peer-limit needs a value}"); shift 2 ;;
    *) echo "usage: $0 [--scale N] [-t REPS] [--paths-only] [--calls N] [--peer-limit SEC]" >&2; exit 2 ;;
  esac
done
[[ $scale =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "make-bench: bad scale: $scale" >&2; exit 2; }

log=$(mktemp /tmp/genre-sync-bench.XXXXXX.log)
cluster=""
cleanup() {
  local rc=$?
  if [ -n "$cluster" ]; then
    "$top/tools/pg-throwaway" stop "$cluster" >>"$log" 2>&1 || true
    rm -rf "$cluster"
  fi
  if [ $rc -eq 0 ]; then rm -f "$log"; else echo "make-bench: failed; log: $log" >&2; fi
}
trap cleanup EXIT

step() {  # step DESCRIPTION COMMAND...: run quietly, show the log on failure
  local what=$1; shift
  echo "== $what" >>"$log"
  if ! "$@" >>"$log" 2>&1; then
    echo "make-bench: $what failed:" >&2
    tail -40 "$log" >&2
    exit 1
  fi
}

install_deps() {
  if [ -x "$top/tools/ensure-deps" ]; then
    "$top/tools/ensure-deps"
  elif [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      postgresql-15 postgresql-server-dev-15 libpq-dev catch2 cmake g++ make
  fi
}

step "installing dependencies" install_deps
step "building the extension" make -C "$top" -j"$(nproc)"
step "installing the extension" make -C "$top" install
step "configuring the tools" cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
step "building the tools" cmake --build "$build" -j"$(nproc)" --target genre-sync-datagen genre-sync-bench

cluster=$(mktemp -d /tmp/genre-sync-bench-pg.XXXXXX)
env_file=$(cd "$top" && tools/pg-throwaway start "$cluster" 2>>"$log") || {
  echo "make-bench: starting the throwaway cluster failed:" >&2; tail -20 "$log" >&2; exit 1; }
# shellcheck disable=SC1090
. "$env_file"
export PGDATABASE=genre_sync_bench

# Two copies of the same rows: as generated (shuffled: no time order on disk,
# as after years of updates) and in last_modified_at order.
# The seed's indexes and ours are both present: the seed's OFFSET functions
# get every index ours get (the comparison is not won on indexes), and the
# header of the output lists what was there. The key index is on, as a DBA
# who wants the fast path turns it on; the peer and the seed cannot use it
# (`paths` turns it off for its default path and back on). rls_caller.sql
# adds the role and policies of the RLS caller path.
setup_db() {  # setup_db DATABASE PHYSICAL_ORDER
  createdb "$1" &&
  "$build/tools/datagen/genre-sync-datagen" -q --scale "$scale" --create-schema \
    --physical-order="$2" -d "$1" &&
  psql -X -q -v ON_ERROR_STOP=1 -d "$1" \
    -c "CREATE EXTENSION genre_sync" \
    -f "$top/bench/sql/seed_rpcs.sql" \
    -f "$top/bench/sql/seed_indexes.sql" \
    -f "$top/bench/sql/keyset_peer.sql" \
    -f "$top/bench/sql/rls_caller.sql" \
    -c "SELECT count(*) FROM sync_create_indexes()" \
    -c "SELECT * FROM sync_enable_key_index()" \
    -c "VACUUM ANALYZE"
}
step "loading scale $scale data, shuffled" setup_db genre_sync_bench shuffled
step "loading scale $scale data, in time order" setup_db genre_sync_bench_time time

mkdir -p "$top/bench/out"
bench="$build/bench/genre-sync-bench"

if ! $paths_only; then
# A worker's first sync of the 2-genre user, page by page through sync_pull.
echo "paged sync of two-genre-user's references (sync_pull, 100 rows a page):"
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$
DECLARE
    u uuid := (SELECT id FROM user_profile WHERE name = 'two-genre-user');
    page jsonb;
    n int := 0;
    cursor text;
    until text;
BEGIN
    LOOP
        page := sync_pull('reference', u, NULL, cursor, 100, until);
        n := n + 1;
        until := coalesce(until, page->>'horizon_cursor');
        RAISE INFO 'page % | % rows | next_cursor % | has_more %',
            lpad(n::text, 2), lpad(page->>'row_count', 3), page->>'next_cursor', page->>'has_more';
        cursor := page->>'next_cursor';
        EXIT WHEN NOT (page->>'has_more')::boolean;
    END LOOP;
END
$$;
SQL
echo

"$bench" pull --brief -t "$reps" --json "$top/bench/out/pull-scale$scale.json"
# Incremental calls take a millisecond or so: more repetitions steady the medians.
"$bench" incremental --brief -t $(( reps > 10 ? reps : 10 )) \
  --json "$top/bench/out/incremental-scale$scale.json" | sed -n '/^incremental pull/,$p'
echo
fi

echo "paths and layouts (genre-sync-bench paths; layouts from pg_stats):"
"$bench" paths -d genre_sync_bench_time -d genre_sync_bench -t "$reps" --calls "$calls" "${peer_limit[@]}" \
  --json "$top/bench/out/paths-scale$scale.json" | sed -n '/^database /,$p'
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM," \
  "$(psql -X -At -c 'SHOW server_version') ; full results: bench/out/*-scale$scale.json"
