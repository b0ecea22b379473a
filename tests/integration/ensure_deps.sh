#!/usr/bin/env bash
# tools/ensure-deps probes each package by files only that package ships:
# a machine with PostgreSQL 15 and its client (which ship pgxs.mk and
# pg_config) but without postgresql-server-dev-15 must be told to install
# the server headers. Probed in fake file trees through ENSURE_DEPS_ROOT.
# Seen to fail with the old probe (pgxs.mk standing for the server headers):
# the DBA's machine below reported nothing missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "ensure_deps: FAIL: $*" >&2; exit 1; }
tree=$(mktemp -d /tmp/gs-ensure-deps.XXXXXX)
trap 'rm -rf "$tree"' EXIT

# Files of each package, as Debian 12's packages lay them out.
declare -A files=(
  [postgresql-15]="/usr/lib/postgresql/15/bin/postgres /usr/lib/postgresql/15/bin/initdb"
  [postgresql-client-15]="/usr/lib/postgresql/15/lib/pgxs/src/makefiles/pgxs.mk /usr/lib/postgresql/15/bin/psql"
  [postgresql-server-dev-15]="/usr/include/postgresql/15/server/postgres.h /usr/include/postgresql/15/server/pg_config_manual.h"
  [libpq-dev]="/usr/include/postgresql/libpq-fe.h /usr/bin/pg_config"
  [catch2]="/usr/include/catch2/catch.hpp"
  [cmake]="/usr/bin/cmake"
  [g++]="/usr/bin/g++"
  [make]="/usr/bin/make"
  [clang-format]="/usr/bin/clang-format"
  [nodejs]="/usr/bin/node /usr/include/node/node_api.h"
  [npm]="/usr/bin/npm"
  [clang-14]="/usr/bin/clang++-14"
  [libclang-rt-14-dev]="/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a"
)
machine() {  # machine DIR PACKAGE...: a file tree with those packages installed
  local dir=$1; shift
  for pkg in "$@"; do
    for f in ${files[$pkg]}; do mkdir -p "$dir$(dirname "$f")"; touch "$dir$f"; done
  done
}
missing() { ENSURE_DEPS_ROOT=$1 tools/ensure-deps --check | sort | tr '\n' ' '; }
expect() {  # expect DIR "SORTED MISSING "
  local got; got=$(missing "$1")
  [ "$got" = "$2" ] || fail "$(basename "$1"): expected missing '$2', got '$got'"
}

all=("${!files[@]}")
machine "$tree/full" "${all[@]}"
expect "$tree/full" ""

# The DBA's machine: PostgreSQL 15 runs, the build packages are there, the
# server headers are not.
dba=()
for pkg in "${all[@]}"; do [ "$pkg" = postgresql-server-dev-15 ] || dba+=("$pkg"); done
machine "$tree/dba" "${dba[@]}"
expect "$tree/dba" "postgresql-server-dev-15 "

# A fresh machine: everything.
mkdir -p "$tree/fresh"
expect "$tree/fresh" "$(printf '%s\n' "${all[@]}" | sort | tr '\n' ' ')"

echo "ensure_deps: ok"
