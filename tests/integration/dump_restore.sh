#!/usr/bin/env bash
# A database that uses genre_sync survives a plain backup and restore: the
# README's "Backup and restore" (pg_dump, then pg_restore or psql into an
# empty database, nothing else) gives a database equal to the original.
#
# The original holds the pg_regress fixture, the extension, the key index
# turned on, moves recorded by the triggers (tunes re-genred, notes and
# references moved to other users), a worker role's grants on app tables and
# on the extension's function and key table, and a row-level security policy.
# It is dumped in the custom format and restored with pg_restore, and dumped
# as SQL and restored with psql, each in one transaction that stops at the
# first error. A dump as databases at 1.0 to 1.2 make them, with CREATE
# EXTENSION before the tables (a copy without the extension's dependencies on
# the tables, and with the key index off), is restored with
# tools/restore-dump. For the original and each restored copy the test
# writes, and then compares:
#   - pg_dump --schema-only (definitions, grants, policies, the key index's
#     triggers and indexes);
#   - what such a dump leaves out: the extension's version, its dependencies
#     on the app's tables, every trigger on tune, note and reference (the
#     moves triggers are internal) with how it fires and what it depends on,
#     and the extension objects' initial privileges (pg_init_privs);
#   - the extension's configuration tables, row for row (sync_key_note,
#     sync_key_reference, sync_move), and sync_check_key_index();
#   - a sync of every fixture user and table from the start, and one from
#     cursors taken before the moves (which delivers the moves: removed ids
#     and catch-up pages).
# Then sync_disable_key_index() and DROP EXTENSION in the original and the
# pg_restore copy: both dump the same again, and no genre_sync trigger is
# left on the app's tables.
#
# Seen to fail: with the UPDATE that marks the moves triggers internal taken
# out of extension/sql/1.2--1.3/10_moves.sql (make install), pg_restore
# stopped at the dumped CREATE TRIGGER genre_sync_moves ("already exists");
# with extension/sql/1.2--1.3/60_restore_order.sql taken out, it stopped at
# CREATE EXTENSION ("genre_sync requires table public.genre"), as before the
# fix (the sanity checks below taken out, as they also notice both); with
# the awk of tools/restore-dump printing the extension where the dump has
# it, tools/restore-dump stopped at CREATE EXTENSION the same way; with
# RESTORE_BREAK=key_data (the pg_restore copy restored without the
# data of sync_key_note, the step a hand-made recipe could drop) the
# comparison showed the missing keys in sync_check_key_index() and the table.
#
# Needs PGHOST/PGPORT of a running cluster (superuser) with genre_sync
# installed. Takes about 30 s (2-core machine, load average 12). A sync
# delivers moves once the safe horizon has passed them, and the horizon is
# the cluster's: the test waits up to 60 s for other sessions' transactions.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lib/fixture_db.bash
. tests/integration/lib/fixture_db.bash

suffix=$$
src=gs_restore_src_$suffix
from_fc=gs_restore_fc_$suffix
from_sql=gs_restore_sql_$suffix
old=gs_restore_old_$suffix
from_old=gs_restore_old_copy_$suffix
worker=gs_restore_worker_$suffix
work=$(mktemp -d /tmp/gs-restore.XXXXXX)
cleanup() {
  for db in "$src" "$from_fc" "$from_sql" "$old" "$from_old"; do
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  done
  psql -X -q -d postgres -c "DROP ROLE IF EXISTS $worker" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "dump_restore: $*" >&2; exit 1; }
psql_db() { local db=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

# The original. The cursors of a first sync of every user are kept in the
# database (so the copies have them too) before rows move.
create_fixture_db "$src"
psql_db "$src" -v worker="$worker" >/dev/null <<'SQL'
CREATE ROLE :"worker";
GRANT USAGE ON SCHEMA public, regress TO :"worker";
GRANT SELECT ON tune, note, reference, playlist, playlist_tune, user_genre_selection,
                sync_key_note, sync_key_reference TO :"worker";
GRANT EXECUTE ON FUNCTION sync_pull TO :"worker";
ALTER TABLE note ENABLE ROW LEVEL SECURITY;
CREATE POLICY worker_notes ON note FOR SELECT TO :"worker" USING (public OR user_ref IS NOT NULL);
SELECT * FROM sync_enable_key_index();

CREATE TABLE regress.restore_cursor AS
SELECT k, t AS tbl, sync_pull(t, regress.u(k), NULL, NULL, 10000)->>'next_cursor' AS cursor
FROM generate_series(1, 8) k, unnest(ARRAY['tune', 'note', 'reference']) t;

UPDATE tune SET genre = CASE genre WHEN 'irish' THEN 'scottish' ELSE 'irish' END
WHERE id IN (regress.tune(3), regress.tune(7), regress.tune(12));
UPDATE tune SET private_for = regress.u(1) WHERE id = regress.tune(20);
UPDATE note SET user_ref = regress.u(2) WHERE note_text IN ('note 1', 'note 9');
UPDATE reference SET tune_ref = regress.tune(5)
WHERE id IN (SELECT id FROM reference ORDER BY id LIMIT 3);
SQL

# A sync delivers a move once the safe horizon has passed its stamp
# (genre_sync.horizon_margin behind the oldest running transaction): wait
# for that, or the original would be compared before its moves count.
for _ in $(seq 1 600); do
  passed=$(psql_db "$src" -At -c "SELECT sync_safe_horizon() > (SELECT max(moved_at) FROM sync_move)")
  [ "$passed" = t ] && break
  sleep 0.1
done
[ "$passed" = t ] || fail "the safe horizon did not pass the moves within 60 s (a long transaction elsewhere in the cluster?)"

# state DB FILE: what must be equal between the original and a copy.
state() {
  local db=$1 out=$2
  pg_dump --schema-only -d "$db" | sed -E -e 's/^\\(un)?restrict .*/\\\1restrict KEY/' >"$out"
  psql_db "$db" -At >>"$out" <<'SQL'
SELECT 'version ' || extversion FROM pg_extension WHERE extname = 'genre_sync';
SELECT 'extension depends on ' || pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
       || ' (' || d.deptype::text || ')'
FROM pg_depend d JOIN pg_extension e ON e.oid = d.objid
WHERE d.classid = 'pg_extension'::regclass AND e.extname = 'genre_sync'
ORDER BY 1;
SELECT format('trigger %s on %s: enabled %s, internal %s, %s; depends on %s',
              g.tgname, g.tgrelid::regclass, g.tgenabled, g.tgisinternal,
              pg_get_triggerdef(g.oid),
              (SELECT string_agg(pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
                                 || ' (' || d.deptype::text || ')', ', ' ORDER BY 1)
               FROM pg_depend d
               WHERE d.classid = 'pg_trigger'::regclass AND d.objid = g.oid))
FROM pg_trigger g
WHERE g.tgrelid IN ('tune'::regclass, 'note'::regclass, 'reference'::regclass)
  AND g.tgname LIKE 'genre_sync%'
ORDER BY 1;
SELECT 'init privs ' || pg_describe_object(i.classoid, i.objoid, i.objsubid) || ' '
       || i.privtype::text || ' ' || i.initprivs::text
FROM pg_init_privs i JOIN pg_depend d ON d.classid = i.classoid AND d.objid = i.objoid
WHERE d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'genre_sync')
ORDER BY 1;
SELECT 'sync_key_note ' || k::text FROM sync_key_note k ORDER BY k.id;
SELECT 'sync_key_reference ' || k::text FROM sync_key_reference k ORDER BY k.id;
SELECT 'sync_move ' || m::text FROM sync_move m ORDER BY m.table_name, m.id;
SELECT 'check ' || c::text FROM sync_check_key_index() c;
-- What a worker gets: rows, removed ids and flags; the horizon is the call's.
SELECT format('sync %s %s %s: %s', w.how, c.tbl, c.k,
              jsonb_build_object('rows', e->'rows', 'removed', e->'removed',
                                 'catch_up', e->'catch_up', 'has_more', e->'has_more'))
FROM regress.restore_cursor c,
     LATERAL (VALUES ('first', NULL), ('after moves', c.cursor)) AS w(how, cursor),
     LATERAL (SELECT sync_pull(c.tbl, regress.u(c.k), NULL, w.cursor, 10000)::jsonb AS e) p
ORDER BY c.tbl, c.k, w.how;
SQL
}

# The original's state must hold what is compared, or equal copies prove nothing.
state "$src" "$work/src.state"
count() { grep -c -- "$1" "$work/src.state" || true; }
[ "$(count 'enabled A, internal f, CREATE TRIGGER genre_sync_key_index')" -eq 9 ] ||
  fail "the original does not have the key index's nine triggers firing always"
[ "$(count 'enabled A, internal t, CREATE TRIGGER genre_sync_moves')" -eq 3 ] ||
  fail "the original does not have the three internal moves triggers firing always"
[ "$(count '^extension depends on table')" -eq 8 ] || fail "the extension does not depend on the 8 app tables"
[ "$(count '^sync_move ')" -gt 5 ] || fail "no moves recorded in the original"
[ "$(count '^check (note,t,600,0,0,0)')" -eq 1 ] || fail "the original's key index is not sound"
grep -q '^sync after moves .*"removed": \["' "$work/src.state" || fail "no sync after the moves removes a row"
grep -q "^GRANT SELECT ON TABLE public.sync_key_note TO $worker;" "$work/src.state" ||
  fail "the worker's grant on sync_key_note is not in the original's dump"
grep -q '^CREATE POLICY worker_notes ON public.note' "$work/src.state" || fail "the policy is not dumped"

# The backup and restore, as the README gives them.
pg_dump -Fc -d "$src" -f "$work/src.dump"
pg_dump -d "$src" -f "$work/src.sql"
grep -q 'CREATE TRIGGER genre_sync_moves' "$work/src.sql" && fail "the dump carries the moves triggers"
createdb "$from_fc"
list=()
if [ "${RESTORE_BREAK:-}" = key_data ]; then
  pg_restore -l "$work/src.dump" | grep -v 'TABLE DATA public sync_key_note ' >"$work/list"
  list=(-L "$work/list")
fi
pg_restore --exit-on-error --single-transaction "${list[@]}" -d "$from_fc" "$work/src.dump"
createdb "$from_sql"
psql_db "$from_sql" --single-transaction -f "$work/src.sql" >/dev/null

compare() {  # compare WHAT ORIGINAL COPY
  if ! diff -u "$2" "$3" >"$work/diff"; then
    echo "dump_restore: $1 differs from the original (- original, + copy;" \
         "first 80 of $(wc -l <"$work/diff") lines):" >&2
    head -n 80 "$work/diff" >&2
    exit 1
  fi
}
state "$from_fc" "$work/fc.state"
compare "the pg_restore copy" "$work/src.state" "$work/fc.state"
state "$from_sql" "$work/sql.state"
compare "the psql copy" "$work/src.state" "$work/sql.state"

# A dump of a database at 1.0 to 1.2 writes CREATE EXTENSION before the
# tables: a copy of the original without the extension's dependencies on
# them dumps that way. Its key index is off, the other state it can be
# restored in. tools/restore-dump restores it, and the restored copy equals
# the copy as it was before the dependencies went (CREATE EXTENSION makes
# them again).
createdb -T "$src" "$old"
psql_db "$old" -c "SELECT sync_disable_key_index()" >/dev/null
state "$old" "$work/old.state"
grep -q '^check (note,f,0,600,0,0)' "$work/old.state" || fail "the copy's key index is not off"
psql_db "$old" -c "DELETE FROM pg_depend WHERE classid = 'pg_extension'::regclass
                     AND refclassid = 'pg_class'::regclass
                     AND objid = (SELECT oid FROM pg_extension WHERE extname = 'genre_sync')" >/dev/null
pg_dump -Fc -d "$old" -f "$work/old.dump"
pg_restore -l "$work/old.dump" | grep -E ' EXTENSION - genre_sync| TABLE public (genre|tune) ' >"$work/old.order"
[ "$(head -n 1 "$work/old.order")" != "$(grep ' EXTENSION ' "$work/old.order")" ] &&
  fail "the dump without the dependencies does not create the extension first: $(cat "$work/old.order")"
createdb "$from_old"
tools/restore-dump "$work/old.dump" -d "$from_old"
state "$from_old" "$work/old_copy.state"
compare "the tools/restore-dump copy of a dump with the extension first" "$work/old.state" \
        "$work/old_copy.state"

# DROP EXTENSION takes the triggers with it in the copy as in the original.
for db in "$src" "$from_fc"; do
  psql_db "$db" -c "SELECT sync_disable_key_index()" -c "DROP EXTENSION genre_sync" >/dev/null
  pg_dump --schema-only -d "$db" | sed -E -e 's/^\\(un)?restrict .*/\\\1restrict KEY/' >"$work/$db.dropped"
done
compare "the pg_restore copy after DROP EXTENSION" "$work/$src.dropped" "$work/$from_fc.dropped"
left=$(psql_db "$from_fc" -At -c "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'genre_sync%'")
[ "$left" -eq 0 ] || fail "$left genre_sync triggers left after DROP EXTENSION"

echo "dump_restore: pg_restore, psql and tools/restore-dump copies equal the original" \
     "($(wc -l <"$work/src.state") lines of state); DROP EXTENSION leaves no trigger"
