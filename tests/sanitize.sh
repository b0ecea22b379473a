#!/usr/bin/env bash
# The extension built with AddressSanitizer and UndefinedBehaviorSanitizer,
# loaded into a PostgreSQL server that runs the whole pg_regress suite and a
# short SQL fuzz (tests/integration/fuzz_sql.sh). Fails on any sanitizer
# report, any crashed backend, or a failed test.
#
# Nothing is installed system-wide: PostgreSQL is relocatable, so a copy of
# its installation in a scratch directory finds its share/ and lib/ beside
# itself, and `make install DESTDIR=` puts the sanitized build there. The
# server runs with the ASan runtime preloaded (the postgres binary is not
# instrumented; the runtime must come first), with tests/sanitize/asan_first.c
# behind it (see there: without it postgres hangs at startup), and with leak
# detection off, since backends exit without freeing what they allocated.
#
#   tests/sanitize.sh     SANITIZE_KEEP=1 keeps the scratch directory;
#                         SANITIZE_FUZZ_CALLS (default 150) sizes the fuzz (x 2 rounds x functions)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/genre-sync-sanitize.XXXXXX)
chmod 755 "$work"
bindir=$(pg_config --bindir)
pgdata=$work/data
server_up=""
stop_server() {
  [ -n "$server_up" ] && as_owner "$work$bindir/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1
  server_up=""
}
finish() {
  stop_server || true
  [ -n "${SANITIZE_KEEP:-}" ] && echo "sanitize: kept $work" || rm -rf "$work"
}
trap finish EXIT
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The installation, relocated: bin/, lib/ and share/ keep their relative places.
for dir in "$(pg_config --pkglibdir)" "$bindir" "$(pg_config --sharedir)"; do
  mkdir -p "$work$dir"
  cp -a "$dir/." "$work$dir/"
done

# A copy of the tree: the normal build's objects stay untouched.
mkdir "$work/src"
(cd "$root" && tar cf - --exclude='./build*' --exclude='*.o' --exclude='*.bc' --exclude='*.so' \
    --exclude='*.d' --exclude=./results --exclude=./.git .) | tar xf - -C "$work/src"
sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
build=(with_llvm=no WERROR=1 CXXFLAGS="-O1 -g $sanitizers" LDFLAGS_SL="$sanitizers")
make -s -C "$work/src" clean >/dev/null
make -s -C "$work/src" -j"$(nproc)" "${build[@]}"
make -s -C "$work/src" "${build[@]}" install DESTDIR="$work" >/dev/null
# ldd's whole output first: with pipefail, `ldd | grep -q` fails whenever
# grep exits at its match before ldd has written the rest (SIGPIPE).
libs=$(ldd "$work$(pg_config --pkglibdir)/genre_sync.so")
if ! grep -q libasan <<<"$libs"; then
  echo "sanitize: the built library is not instrumented" >&2; exit 1
fi

gcc -shared -fPIC -O1 "$root/tests/sanitize/asan_first.c" -o "$work/asan_first.so" -ldl
chown -R postgres: "$work" 2>/dev/null || true
as_owner "$work$bindir/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$work/initdb.log"
port=$(( 20000 + RANDOM % 30000 ))
asan_runtime=$(gcc -print-file-name=libasan.so)
as_owner env LD_PRELOAD="$asan_runtime $work/asan_first.so" \
    ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:log_path=$work/asan" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$work/ubsan" \
    "$work$bindir/pg_ctl" -D "$pgdata" -l "$work/server.log" -w -t 120 \
    -o "-c port=$port -c listen_addresses='' -c unix_socket_directories=$work -c fsync=off" \
    start >/dev/null
server_up=1
export PGHOST=$work PGPORT=$port PGUSER=postgres PGDATABASE=postgres

status=0
# ASan's allocator keeps freed memory in quarantine, so the resident-size
# half of the tests that bound a backend's memory (the last column of their
# "contexts_stable | rss_stable" row) cannot hold here; a diff in nothing
# else of those tests is no failure. Everything else must match.
rss_only_diffs() {
  awk '
    /^diff / { n = split($3, parts, "/"); test = parts[n]; sub(/\.out$/, "", test); next }
    /^(\+\+\+|---) / { next }
    /^[-+]/ {
      if ((test == "backend_memory" || test == "security_spi_cleanup") &&
          $0 ~ /^[-+] t +\| [tf] *$/) next
      bad = 1
    }
    END { exit bad }' "$1"
}
echo "=== pg_regress with the sanitized build"
if ! make -s -C "$work/src" installcheck with_llvm=no; then
  if rss_only_diffs "$work/src/regression.diffs"; then
    echo "sanitize: only the resident-size checks differ (ASan quarantine); not a failure"
  else
    head -200 "$work/src/regression.diffs"
    status=1
  fi
fi
echo "=== SQL fuzz with the sanitized build"
if ! (cd "$work/src" && FUZZ_ROUNDS=2 FUZZ_CALLS=${SANITIZE_FUZZ_CALLS:-150} \
        bash tests/integration/fuzz_sql.sh |
      tail -n 3); then
  status=1
fi
stop_server

reports=$(find "$work" -maxdepth 1 -name 'asan.*' -o -maxdepth 1 -name 'ubsan.*')
if [ -n "$reports" ]; then
  echo "sanitize: sanitizer reports:"
  for r in $reports; do echo "--- $r"; head -60 "$r"; done
  status=1
fi
if grep -E -A 20 "runtime error:|ERROR: AddressSanitizer|terminated by signal|was terminated" \
     "$work/server.log"; then
  echo "sanitize: the server log shows a sanitizer report or a crashed backend"
  status=1
fi
[ "$status" = 0 ] && echo "sanitize: no sanitizer reports"
exit "$status"
