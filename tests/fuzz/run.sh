#!/usr/bin/env bash
# Builds each libFuzzer target (fuzz_*.cpp) with AddressSanitizer and
# UndefinedBehaviorSanitizer against the extension's pure C++ and runs it for
# FUZZ_SECONDS (default 20) from the seeds in corpus/<target>/. Fails on a
# crash, a sanitizer report or a broken property (the targets abort).
#
#   tests/fuzz/run.sh [target...]      e.g. tests/fuzz/run.sh cursor
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${FUZZ_SECONDS:-20}
cxx=${CXX_FUZZ:-clang++-14}
out=$(mktemp -d /tmp/genre-sync-fuzz.XXXXXX)
trap 'rm -rf "$out"' EXIT

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$here"/fuzz_*.cpp; do t=$(basename "$f" .cpp); targets+=("${t#fuzz_}"); done
fi

flags=(-std=c++20 -g -O1 -fno-sanitize-recover=all -I"$root/extension")
# The core once, instrumented for coverage, compiled in parallel; each
# target links it.
pids=()
for src in "$root"/extension/core/*.cpp; do
  "$cxx" "${flags[@]}" -fsanitize=fuzzer-no-link,address,undefined -c "$src" \
      -o "$out/core_$(basename "$src" .cpp).o" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

status=0
for t in "${targets[@]}"; do
  echo "=== fuzz $t (${seconds}s)"
  "$cxx" "${flags[@]}" -fsanitize=fuzzer,address,undefined "$here/fuzz_$t.cpp" "$out"/core_*.o \
      -o "$out/$t"
  # New inputs go to a scratch corpus; the seeds stay as checked in.
  mkdir -p "$out/corpus-$t"
  if ! UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       "$out/$t" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$out/" -print_final_stats=1 \
       "$out/corpus-$t" "$here/corpus/$t" >"$out/$t.log" 2>&1; then
    tail -60 "$out/$t.log"
    for found in "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*; do
      if [ -e "$found" ]; then echo "input $(basename "$found"):"; od -c "$found" | head -20; fi
    done
    echo "*** fuzz $t FAILED"
    status=1
  else
    grep -E "^#[0-9]+.*DONE" "$out/$t.log" | tail -1
  fi
done
exit "$status"
