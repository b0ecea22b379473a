#!/usr/bin/env bash
# End-to-end check of genre-sync-datagen against a throwaway cluster:
# exit codes, exact scale-1 counts, same seed => same table contents,
# COPY escaping round trip, nothing committed when a load fails, and
# --physical-order: shuffled rows have |pg_stats.correlation| of
# last_modified_at < 0.1, time-ordered ones > 0.9, with the same contents.
# (Seen failing: with copy_table() ignoring the order, "time order:
# correlation not near 1"; with the sorted INSERT dropping 1% of the rows,
# the time-ordered load itself (orphans found by the bulk FK check).)
#   end_to_end.sh PATH/TO/genre-sync-datagen PATH/TO/pg-throwaway
# Exits 77 (ctest: skipped) when no PostgreSQL server binaries are installed.
set -euo pipefail

datagen=$1
throwaway=$2
bindir=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
[ -x "$bindir/initdb" ] || { echo "no initdb in $bindir: skipping"; exit 77; }

dir=$(mktemp -d /tmp/datagen-e2e.XXXXXX)
# The cluster directory is kept for its logs only when the test fails.
cleanup() {
  local rc=$?
  "$throwaway" stop "$dir" >/dev/null 2>&1 || true
  if [ "$rc" = 0 ]; then rm -rf "$dir"; else echo "cluster and logs kept in $dir" >&2; fi
}
trap cleanup EXIT
. "$("$throwaway" start "$dir")"

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_rc() {  # expect_rc CODE WHAT command...
  local want=$1 what=$2 rc=0; shift 2
  "$@" >"$dir/out" 2>"$dir/err" || rc=$?
  [ "$rc" = "$want" ] || { cat "$dir/err" >&2; fail "$what: exit $rc, expected $want"; }
}
q() { psql -X -At -d "$1" -c "$2"; }

for db in a b timed empty bad orphan; do psql -X -qc "CREATE DATABASE $db"; done

expect_rc 0 "load a" "$datagen" --scale 1 --seed 5 --create-schema -q -d a
grep -q "foreign keys: checked in bulk after COPY" "$dir/out" || fail "superuser load did not bulk-check FKs"
grep -q "effective genres (2): capebreton,contra" "$dir/out" || fail "two-genre user line missing"
grep -q "effective genres (25): all" "$dir/out" || fail "all-genre user line missing"
expect_rc 0 "load b" "$datagen" --scale 1 --seed 5 --create-schema -q "dbname=b"

counts=$(q a "SELECT (SELECT count(*) FROM genre), (SELECT count(*) FROM user_profile),
  (SELECT count(*) FROM tune), (SELECT count(*) FROM note), (SELECT count(*) FROM reference),
  (SELECT count(*) FROM instrument)")
[ "$counts" = "25|20|3006|1500|2400|0" ] || fail "scale-1 counts: $counts"

for t in genre user_profile tune note reference playlist playlist_tune user_genre_selection; do
  sum="SELECT md5(string_agg(x::text, E'\n' ORDER BY x::text)) FROM $t x"
  [ "$(q a "$sum")" = "$(q b "$sum")" ] || fail "$t differs between two loads with the same seed"
done

[ "$(q a "SELECT count(*) > 0 FROM note WHERE note_text LIKE E'%\n%' AND note_text LIKE E'%\t%'")" = t ] ||
  fail "no note kept its newline and tab"
[ "$(q a "SELECT count(*) > 0 FROM note WHERE note_text LIKE E'%C:\\\\\\\\Users%'")" = t ] ||
  fail "no note kept its backslashes"
[ "$(q a "SELECT count(DISTINCT genre_id) FROM user_genre_selection s JOIN user_profile u
           ON u.id = s.user_id WHERE u.name = 'two-genre-user'")" = 2 ] || fail "two-genre user selection"

# Physical order: the default is shuffled; time order holds the same rows.
correlations() {  # correlations DB: "table correlation" lines of the synced tables
  q "$1" "SELECT tablename || ' ' || round(correlation::numeric, 3) FROM pg_stats
          WHERE tablename IN ('tune', 'note', 'reference') AND attname = 'last_modified_at'
          ORDER BY tablename"
}
grep -q "^physical order: shuffled; correlation of last_modified_at with it (pg_stats): tune " \
  "$dir/out" || fail "no physical order line for the default load"
expect_rc 0 "load in time order" "$datagen" --scale 1 --seed 5 --create-schema -q \
  --physical-order=time -d timed
grep -q "^physical order: time; " "$dir/out" || fail "no physical order line for the time-ordered load"
[ "$(correlations b | awk '$2 > -0.1 && $2 < 0.1' | wc -l)" = 3 ] ||
  fail "shuffled: correlation not near 0: $(correlations b | tr '\n' ' ')"
[ "$(correlations timed | awk '$2 > 0.9' | wc -l)" = 3 ] ||
  fail "time order: correlation not near 1: $(correlations timed | tr '\n' ' ')"
# The reported figures are pg_stats' own.
for t in tune note reference; do
  want=$(correlations timed | awk -v t=$t '$1 == t { print $2 }')
  grep -Eq "(: |, )$t $want(,|\$)" "$dir/out" || fail "time order: reported $t correlation is not $want: $(cat "$dir/out")"
done
for t in genre user_profile tune note reference playlist playlist_tune user_genre_selection; do
  sum="SELECT md5(string_agg(x::text, E'\n' ORDER BY x::text)) FROM $t x"
  [ "$(q a "$sum")" = "$(q timed "$sum")" ] || fail "$t: time order changed the rows"
done

expect_rc 2 "non-empty target" "$datagen" --scale 1 -q -d a
expect_rc 2 "existing tables with --create-schema" "$datagen" --scale 1 --create-schema -q -d a
expect_rc 2 "missing tables" "$datagen" --scale 1 -q -d empty
expect_rc 2 "bad scale" "$datagen" --scale 0 -d empty
expect_rc 1 "no server" "$datagen" --scale 1 -q -h "$dir/no-such-socket-dir" -d empty

psql -X -q -d bad -f "$(dirname "$throwaway")/app_schema.sql"
psql -X -q -d bad -c "ALTER TABLE reference ADD CHECK (url NOT LIKE '%/1000')"
expect_rc 3 "load failing in the last table" "$datagen" --scale 1 -q -d bad
grep -q 'COPY reference: ERROR:  new row for relation "reference" violates check constraint' "$dir/err" ||
  fail "load failure message: $(cat "$dir/err")"
[ "$(q bad "SELECT count(*) FROM tune")" = 0 ] || fail "a failed load left rows behind"

# The bulk check after a trigger-less load must catch what triggers would.
psql -X -q -d orphan -f "$(dirname "$throwaway")/app_schema.sql"
psql -X -q -d orphan -c "ALTER TABLE reference ADD CONSTRAINT url_is_genre FOREIGN KEY (url) REFERENCES genre (id)"
expect_rc 3 "orphans found by the bulk FK check" "$datagen" --scale 1 -q -d orphan
grep -q "foreign key url_is_genre on reference: 2400 rows without a parent" "$dir/err" ||
  fail "bulk FK check message: $(cat "$dir/err")"
[ "$(q orphan "SELECT count(*) FROM note")" = 0 ] || fail "an FK failure left rows behind"

echo "datagen end-to-end: ok"
