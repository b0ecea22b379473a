#!/usr/bin/env bash
# An upgrade from the last release gives exactly a fresh install: every
# definition and every grant. Release 1.2's complete install script is kept
# frozen in tests/upgrade/ (never edited, see its README); it is installed in
# one database and updated with ALTER EXTENSION genre_sync UPDATE, the
# current version is installed fresh in another, and the two schema-only
# dumps are compared. pg_dump --binary-upgrade writes an extension's member
# objects one by one (a plain dump writes only CREATE EXTENSION), with their
# initial privileges; what legitimately differs between two databases is
# taken out: OIDs in the binary-upgrade calls and database names. The diff
# is printed on failure.
#
# CREATE EXTENSION can only read an install script from the installation's
# extension directory, so the frozen script is copied there for the one
# CREATE EXTENSION and removed right after (and on exit): while it is there,
# CREATE EXTENSION genre_sync of the current version would start from it.
# Needs write access to that directory, as `make install` had.
#
# Seen to fail: with a function body of a 1.0 fragment edited in place
# (extension/sql/40_indexes.sql, sync_create_indexes: "BEGIN" made "BEGIN --
# edited in place after release", make install, then restored) the diff
# showed the two bodies, since a fresh install runs the edited fragment and
# a 1.2 database never did; with UPGRADE_BREAK=grant (GRANT EXECUTE ON
# FUNCTION sync_safe_horizon() TO PUBLIC in the updated database, standing in
# for an update script that forgets a REVOKE) it showed the extra GRANT. The
# pg_regress comparison it replaces built both sides from the same scripts
# and compared object names only, so neither change could reach it.
#
# A DBA's grant on sync_pull, made on 1.2 before the update and on the fresh
# install, must be in both dumps: 1.3 drops and creates sync_pull (its
# result type changed) and grants it again. Seen to fail: with the update
# script's GRANT loop removed (extension/sql/1.2--1.3/60_pull_json.sql) the
# diff showed the fresh install's GRANT EXECUTE ... TO gs_upgrade_dba alone.
#
# Needs PGHOST/PGPORT of a running cluster (superuser) with genre_sync
# installed. Takes about 5 s.
set -euo pipefail
cd "$(dirname "$0")/../.."

frozen=tests/upgrade/genre_sync--1.2.sql
extdir=$(pg_config --sharedir)/extension
target=$extdir/genre_sync--1.2.sql
work=$(mktemp -d /tmp/gs-upgrade.XXXXXX)
updated=gs_upgrade_updated_$$
fresh=gs_upgrade_fresh_$$
dba_grantee=gs_upgrade_dba
cleanup() {
  rm -f "$target"
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $updated" -c "DROP DATABASE IF EXISTS $fresh" \
    >/dev/null 2>&1 || true
  psql -X -q -d postgres -c "DROP ROLE IF EXISTS $dba_grantee" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
[ -e "$target" ] && { echo "upgrade_dump: $target exists; not a frozen copy of ours" >&2; exit 1; }
[ -w "$extdir" ] || { echo "upgrade_dump: cannot write $extdir" >&2; exit 1; }

psql_db() { local db=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
for db in "$updated" "$fresh"; do
  createdb "$db"
  psql_db "$db" -c "SET client_min_messages = warning" -f tools/app_schema.sql >/dev/null
done

psql -X -q -d postgres -c "DROP ROLE IF EXISTS $dba_grantee" -c "CREATE ROLE $dba_grantee"
grant_pull="GRANT EXECUTE ON FUNCTION sync_pull(text, uuid, text[], text, integer, text) TO $dba_grantee"
# The fresh install first, while only the current scripts are installed.
psql_db "$fresh" -c "CREATE EXTENSION genre_sync" -c "$grant_pull"
cp "$frozen" "$target"
psql_db "$updated" -c "CREATE EXTENSION genre_sync VERSION '1.2'" -c "$grant_pull"
rm -f "$target"
psql_db "$updated" -At -c "SELECT 'installed ' || extversion FROM pg_extension WHERE extname = 'genre_sync'"
psql_db "$updated" -c "ALTER EXTENSION genre_sync UPDATE"
psql_db "$updated" -At -c "SELECT 'updated to ' || extversion FROM pg_extension WHERE extname = 'genre_sync'"

case "${UPGRADE_BREAK:-}" in
  grant) psql_db "$updated" -c "GRANT EXECUTE ON FUNCTION sync_safe_horizon() TO PUBLIC" ;;
esac

# What differs between any two databases: the OIDs, relfilenodes, LSNs and
# transaction ids of the binary-upgrade bookkeeping (statements pg_upgrade
# needs, not definitions), the dump's random \restrict key, and the names of
# the two databases.
normalize() {
  sed -E -e '/binary_upgrade_|^WHERE oid = |^SET relfrozenxid/{s#[0-9A-F]+/[0-9A-F]+#LSN#g; s/[0-9]+/N/g}' \
         -e 's/^\\(un)?restrict .*/\\\1restrict KEY/' \
         -e "s/$updated|$fresh/DB/g"
}
pg_dump --schema-only --binary-upgrade -d "$updated" | normalize >"$work/updated.sql"
pg_dump --schema-only --binary-upgrade -d "$fresh" | normalize >"$work/fresh.sql"

members=$(grep -c 'ALTER EXTENSION genre_sync ADD' "$work/fresh.sql" || true)
grants=$(grep -c '^GRANT\|^REVOKE' "$work/fresh.sql" || true)
if [ "$members" -lt 20 ]; then
  echo "upgrade_dump: the dump shows only $members extension members; is --binary-upgrade in effect?" >&2
  exit 1
fi
if diff -u "$work/fresh.sql" "$work/updated.sql" >"$work/diff"; then
  echo "upgrade_dump: 1.2 (frozen) updated to the current version dumps as a fresh install" \
       "($members members, $grants GRANT/REVOKE lines)"
else
  echo "upgrade_dump: 1.2 updated differs from a fresh install (- fresh, + updated):" >&2
  cat "$work/diff" >&2
  exit 1
fi
