#!/usr/bin/env bash
# The functions on a streaming-replication hot standby: read-only, same rows
# as the primary, and a horizon the standby only knows once the primary has
# published it (until then the envelope says so and pages stop short), and
# filter changes served from the standby. Seen to fail: with the tune's move
# left out (its private_for "changed" to NULL), both sides removed nothing.
# Runs against the cluster in PGHOST/PGPORT as the primary; makes its own
# database and standby, and removes both.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lib/fixture_db.bash
. tests/integration/lib/fixture_db.bash

db=gs_hot_standby
standby_dir=$(mktemp -d /tmp/genre-sync-standby.XXXXXX)
cleanup() {
  tools/pg-throwaway stop "$standby_dir" || true
  dropdb --if-exists "$db" || true
}
trap cleanup EXIT
fail() { echo "hot_standby: $*" >&2; exit 1; }

create_fixture_db "$db"
primary=( psql -X -At -v ON_ERROR_STOP=1 -d "$db" )
standby_env=$(tools/pg-throwaway standby "$standby_dir" "$PGHOST")
standby=( env PGHOST="$standby_dir" PGPORT="$(. "$standby_env"; echo "$PGPORT")"
          psql -X -At -v ON_ERROR_STOP=1 -d "$db" )

in_recovery=$("${standby[@]}" -c 'SELECT pg_is_in_recovery()')
[ "$in_recovery" = t ] || fail "not a standby"

user="md5('user8')::uuid"
# Every row and order each function returns, as one md5 per function.
digests="
SELECT md5(string_agg(x, ',')) FROM (SELECT id::text || last_modified_at AS x FROM sync_get_user_notes($user, sync_get_effective_genres($user), NULL, 10000, 0)) s;
SELECT md5(string_agg(x, ',')) FROM (SELECT id::text || last_modified_at AS x FROM sync_get_user_references($user, sync_get_effective_genres($user), '2024-01-01', 10000, 3)) s;
SELECT sync_get_effective_genres($user)::text || sync_get_playlist_tune_genres($user)::text;
SELECT row_count || ' ' || checksum FROM sync_range_checksum('reference', $user, NULL, NULL, NULL);
"
on_standby=$("${standby[@]}" -c "$digests")
on_primary=$("${primary[@]}" -c "$digests")
[ "$(echo "$on_primary" | grep -c .)" = 4 ] && [ "$on_standby" = "$on_primary" ] \
  || fail "standby and primary disagree on the drop-ins, genres or checksums"

# No published horizon yet: unknown, and nothing past it is returned.
got=$("${standby[@]}" -c "SELECT sync_safe_horizon() IS NULL,
         (SELECT count(*) FROM sync_notes_page($user, NULL)),
         e->>'horizon_source', e->>'row_count', e->>'has_more', e->>'horizon_reason' IS NOT NULL
       FROM sync_pull('note', $user) e")
[ "$got" = "t|0|unknown|0|false|t" ] || fail "unpublished horizon: got $got"

# Publishes a horizon on the primary and waits until the standby has replayed it.
publish_and_wait() {
  local published seen=""
  published=$("${primary[@]}" -c "SELECT sync_publish_horizon()")
  for _ in $(seq 1 100); do
    seen=$("${standby[@]}" -c "SELECT sync_safe_horizon()")
    [ "$seen" = "$published" ] && return
    sleep 0.1
  done
  fail "standby never saw the published horizon ($published)"
}

got=$("${standby[@]}" -c "SELECT sync_publish_horizon()" 2>&1 || true)
case "$got" in
  *"sync_publish_horizon() must run on the primary"*) ;;
  *) fail "publishing on the standby: $got" ;;
esac

publish_and_wait

# With the horizon published, a full pull on the standby equals the primary's.
walk="
SELECT md5(string_agg(r->>'id' || (r->>'last_modified_at'), ',' ORDER BY n)), sum(1)
FROM sync_pull('reference', $user, NULL, NULL, 10000) e,
     json_array_elements(e->'rows') WITH ORDINALITY AS x(r, n)
WHERE e->>'horizon_source' IN ('published', 'primary');
"
on_standby=$("${standby[@]}" -c "$walk")
on_primary=$("${primary[@]}" -c "$walk")
[ "${on_primary#*|}" -gt 100 ] && [ "$on_standby" = "$on_primary" ] \
  || fail "pulls differ: standby $on_standby, primary $on_primary"
source=$("${standby[@]}" -c "SELECT sync_pull('note', $user)->>'horizon_source'")
[ "$source" = published ] || fail "standby reports the horizon as $source"

# A filter change reaches a worker that syncs from the standby: a tune of the
# user's filter made private to another user on the primary; once the primary
# has published a horizon past it, the standby names the tune's notes in
# removed, as the primary does from the same cursor.
cursor=$("${standby[@]}" -c "SELECT sync_pull('note', $user, NULL, NULL, 10000)->>'next_cursor'")
case "$cursor" in v2/*) ;; *) fail "no v2 cursor from the standby: $cursor" ;; esac
tune=$("${primary[@]}" -c "SELECT t.id FROM tune t JOIN note n ON n.tune_ref = t.id
                           WHERE t.private_for IS NULL AND NOT t.deleted AND n.user_ref IS NULL
                           GROUP BY t.id ORDER BY count(*) DESC, t.id LIMIT 1")
"${primary[@]}" -c "UPDATE tune SET private_for = md5('user1')::uuid,
                    last_modified_at = now() AT TIME ZONE 'UTC' WHERE id = '$tune'" >/dev/null
sleep 1.2  # the horizon margin (1 s) past the change
publish_and_wait
removed="
SELECT string_agg(x, ',' ORDER BY x) FROM (
    SELECT json_array_elements_text(e->'removed') x
    FROM sync_pull('note', $user, NULL, '$cursor', 10000) e) s;
"
expected=$("${primary[@]}" -c "SELECT string_agg(id::text, ',' ORDER BY id::text) FROM note
                               WHERE tune_ref = '$tune' AND (user_ref IS NULL OR user_ref = $user)")
on_standby=$("${standby[@]}" -c "$removed")
on_primary=$("${primary[@]}" -c "$removed")
[ -n "$expected" ] && [ "$on_standby" = "$expected" ] && [ "$on_primary" = "$expected" ] \
  || fail "removals after the move: standby '$on_standby', primary '$on_primary', expected '$expected'"

echo "hot_standby: ok"
