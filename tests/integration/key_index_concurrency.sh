#!/usr/bin/env bash
# The key index under a race: one session changes a tune's genre (which
# rewrites the keys of the tune's rows) while another inserts a row of that
# tune (whose key copies the tune's genre). The insert's trigger locks the
# tune FOR SHARE before reading its genre, so whichever comes second waits
# for the first and then sees it:
#   genre first:  A: BEGIN; UPDATE tune (open)   B: INSERT row (waits)   A: COMMIT
#   row first:    B: BEGIN; INSERT row (open)    A: UPDATE tune (waits)  B: COMMIT
# The same holds for an update that moves an existing row to the tune (the
# update trigger takes the same lock).
# In both orders and for note and reference, the second session must wait
# and afterwards sync_check_key_index() must find no wrong, missing or extra
# key, and the row's key must carry the tune's new genre. Without the
# FOR SHARE nothing waits (the foreign key's KEY SHARE lock does not conflict
# with a genre update) and the key keeps the old genre.
#
# Needs PGHOST/PGPORT/PGUSER of a running cluster with the extension installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lib/fixture_db.bash
. tests/integration/lib/fixture_db.bash

db=gs_key_index_concurrency_$$
work=$(mktemp -d)
holder=""
failures=()

cleanup() {
  exec 3>&-
  if [ -n "$holder" ]; then kill "$holder" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  dropdb --if-exists --force "$db" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "key_index_concurrency: FAIL: $*" >&2; exit 1; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }

create_fixture_db "$db"
q "SELECT sync_enable_key_index()" >/dev/null
[ "$(q "SELECT bool_and(enabled) FROM sync_check_key_index()")" = t ] || fail "the key index is not in use"

# A session that keeps its transaction open: commands go in through a fifo
# on fd 3, so it commits when told to.
open_holder() {  # open_holder NAME SQL
  rm -f "$work/$1.in"
  mkfifo "$work/$1.in"
  PGAPPNAME=$1 psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -f "$work/$1.in" >"$work/$1.out" 2>&1 &
  holder=$!
  exec 3>"$work/$1.in"
  echo "BEGIN; $2; SELECT 'done';" >&3
  for _ in $(seq 100); do
    grep -q '^done$' "$work/$1.out" && return 0
    kill -0 "$holder" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/$1.out" >&2
  fail "$1 did not run its statement"
}
commit_holder() {  # commit_holder NAME
  echo "COMMIT;" >&3
  exec 3>&-
  wait "$holder" || { cat "$work/$1.out" >&2; fail "$1 failed"; }
  holder=""
}

# Whether the session of application_name NAME waits for a lock within 5 s;
# false as soon as its statement has ended without waiting.
waits_for_lock() {  # waits_for_lock NAME PID
  for _ in $(seq 50); do
    [ "$(q "SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = '$1'
              AND wait_event_type = 'Lock'")" = 1 ] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# One race on TABLE's rows of tune number N: ORDER is genre_first or
# row_first; the row is a new one, or with MOVE=K the existing row number K
# of the fixture moved to the tune. The tune's genre changes to a genre it
# did not have.
race() {  # race TABLE N ORDER [MOVE]
  local table=$1 n=$2 order=$3 move=${4:-} case="$1 tune$2 $3${4:+ move $1$4}"
  local tune="md5('tune$n')::uuid" id="md5('race-$1-$2-$3')::uuid" genre second waited=yes
  genre=$(q "SELECT CASE WHEN genre = 'klezmer' THEN 'cajun' ELSE 'klezmer' END
             FROM tune WHERE id = $tune AND private_for IS NULL AND NOT deleted")
  [ -n "$genre" ] || fail "$case: tune$n is not a live public tune"
  local update="UPDATE tune SET genre = '$genre' WHERE id = $tune"
  local row_write
  if [ -n "$move" ]; then
    id="md5('$table$move')::uuid"
    row_write="UPDATE $table SET tune_ref = $tune WHERE id = $id AND tune_ref IS DISTINCT FROM $tune"
  elif [ "$table" = note ]; then
    row_write="INSERT INTO note (id, tune_ref, note_text, last_modified_at)
            VALUES ($id, $tune, 'race', '2023-01-01')"
  else
    row_write="INSERT INTO reference (id, url, tune_ref, last_modified_at)
            VALUES ($id, 'https://example.org/race', $tune, '2023-01-01')"
  fi

  if [ "$order" = genre_first ]; then
    open_holder first "$update"
    PGAPPNAME=second psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$row_write" >"$work/second.out" 2>&1 &
  else
    open_holder first "$row_write"
    PGAPPNAME=second psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$update" >"$work/second.out" 2>&1 &
  fi
  second=$!
  waits_for_lock second "$second" || waited=no
  commit_holder first
  wait "$second" || { cat "$work/second.out" >&2; fail "$case: the second session failed"; }

  local check key
  check=$(q "SELECT string_agg(table_name || ':' || missing || '/' || wrong || '/' || extra, ' '
                               ORDER BY table_name)
             FROM sync_check_key_index()")
  key=$(q "SELECT genre FROM sync_key_$table WHERE id = $id")
  echo "$case: second session waited: $waited; missing/wrong/extra: $check; key genre: $key (tune: $genre)"
  [ "$waited" = yes ] || failures+=("$case: the second session did not wait")
  [ "$check" = "note:0/0/0 reference:0/0/0" ] || failures+=("$case: sync_check_key_index() $check")
  [ "$key" = "$genre" ] || failures+=("$case: the row's key has genre '$key', the tune '$genre'")
  [ "$(q "SELECT count(*) FROM $table WHERE id = $id AND tune_ref = $tune")" = 1 ] \
    || failures+=("$case: the row is not the tune's")
}

race reference 50 genre_first
race reference 64 row_first
race note 75 genre_first
race note 151 row_first
race reference 180 genre_first 20
race note 179 row_first 30

if [ ${#failures[@]} -gt 0 ]; then
  printf 'key_index_concurrency: FAIL: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "key_index_concurrency: ok"
