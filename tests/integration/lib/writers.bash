# shellcheck shell=bash disable=SC2154  # db (and work): the sourcing test's
# Sourced by integration tests, which run from the repository's top.
#
# Writers: background processes that each run the SQL file $work/write.sql
# in database $db over and over until stop_writers, while the test does
# what the writes must not disturb. Writer K appends what psql reported of
# a failed batch to $work/writerK.err, and, once stopped, writes the number
# of batches it ran to $work/writerK.batches.
#
# start_writers N: starts writers 1 to N.
# stop_writers: lets each writer finish its batch, and waits for them.
# check_writers: fails the test (lib/check.bash's fail) unless every writer
#   ran without an error and ran at least one batch.
# kill_writers: for the test's EXIT trap: stops any writer still running.
#
# (Seen failing: with every batch made to fail by a SELECT 1/0 before it,
# reorganize_concurrent.sh failed with "writer 1 had errors".)
writers=()
writer_count=0

writer() {
  local n=0
  while [ ! -e "$work/stop" ]; do
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/write.sql" >/dev/null 2>>"$work/writer$1.err" \
      || echo "batch $n failed" >>"$work/writer$1.err"
    n=$((n + 1))
  done
  echo "$n" >"$work/writer$1.batches"
}

start_writers() {
  local w
  writer_count=$1
  for w in $(seq 1 "$1"); do
    writer "$w" &
    writers+=($!)
  done
}

stop_writers() {
  local pid
  touch "$work/stop"
  for pid in "${writers[@]}"; do wait "$pid"; done
  writers=()
}

check_writers() {
  local w
  for w in $(seq 1 "$writer_count"); do
    [ ! -s "$work/writer$w.err" ] || { cat "$work/writer$w.err" >&2; fail "writer $w had errors"; }
    [ "$(cat "$work/writer$w.batches")" -gt 0 ] || fail "writer $w wrote nothing"
  done
}

kill_writers() {
  local pid
  touch "$work/stop"
  for pid in "${writers[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
