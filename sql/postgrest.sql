-- PostgREST and Supabase: the functions called the way PostgREST calls them
-- (one transaction a request: SET LOCAL ROLE, the JWT claims with
-- set_config(..., true), named arguments with the optional ones left out, a
-- POST's JSON body through json_to_record), with README's grant blocks for
-- each kind of caller, and CREATE EXTENSION under default privileges that
-- grant every new function and table to the gateway's roles (Supabase's).
-- Roles are cluster-wide: this test's are named gs_rest_* and dropped at the
-- end; gs_rest_anon, gs_rest_authenticated and gs_rest_worker stand for
-- PostgREST's anon and authenticated and a trusted worker (README's
-- service_role or sync_worker), gs_rest_ops for the DBA's scheduled jobs.
--
-- Seen to fail against broken code: (1) without the 1.2--1.3 defaults
-- (50_defaults.sql left out of the update) the calls that leave p_genre_ids
-- or p_parts out fail with 42883 function ... does not exist; (2) with
-- 90_privileges.sql back at 1.2 (REVOKE from PUBLIC only) the extension
-- created under default privileges lets gs_rest_anon execute every function
-- and write sync_key_note and sync_horizon_publication, and the simulated
-- 1.2 install keeps anon's grants after the update; (3) with the pg_init_privs
-- row left as the REVOKE records it (no UPDATE), the DBA's later grants are
-- recorded as the scripts' (initprivs_owner_only false).
SELECT current_database() AS regress_db \gset
SELECT regress.u(1) AS u1, regress.u(2) AS u2 \gset

CREATE ROLE gs_rest_anon NOLOGIN;
CREATE ROLE gs_rest_authenticated NOLOGIN;
CREATE ROLE gs_rest_worker NOLOGIN;
CREATE ROLE gs_rest_ops NOLOGIN;
GRANT USAGE ON SCHEMA regress TO gs_rest_anon, gs_rest_authenticated, gs_rest_worker, gs_rest_ops;

-- README, "Grants", with this test's role names. gs_rest_anon gets nothing.
-- 1. Signed-in users (the bench's RLS caller is granted the same file).
\set signed_in_role gs_rest_authenticated
\i bench/sql/signed_in_grants.sql
-- 2. The trusted sync worker.
GRANT USAGE ON SCHEMA public TO gs_rest_worker;
GRANT SELECT ON tune, note, reference, playlist, playlist_tune, user_genre_selection,
                sync_horizon_publication, sync_key_note, sync_key_reference TO gs_rest_worker;
GRANT EXECUTE ON FUNCTION sync_get_effective_genres, sync_get_playlist_tune_genres,
                          sync_notes_page, sync_references_page, sync_tunes_page,
                          sync_get_user_notes, sync_get_user_references,
                          sync_pull, sync_range_checksum, sync_partition_bounds,
                          sync_safe_horizon TO gs_rest_worker;
-- 3. The DBA's scheduled jobs and monitoring.
GRANT USAGE ON SCHEMA public TO gs_rest_ops;
GRANT SELECT, INSERT, UPDATE ON sync_horizon_publication TO gs_rest_ops;
GRANT SELECT ON tune, note, reference, sync_key_note, sync_key_reference TO gs_rest_ops;
GRANT EXECUTE ON FUNCTION sync_publish_horizon, sync_safe_horizon, sync_required_indexes,
                          sync_check_key_index TO gs_rest_ops;

-- Who may execute what: one line per function of the extension.
CREATE VIEW regress.rest_may_execute AS
SELECT p.proname AS function,
       coalesce(string_agg(substr(r.rolname, 9), ', ' ORDER BY r.rolname)
                  FILTER (WHERE has_function_privilege(r.oid, p.oid, 'EXECUTE')), '') AS may_execute
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'genre_sync'
CROSS JOIN pg_roles r
WHERE r.rolname LIKE 'gs\_rest\_%' AND p.prorettype <> 'trigger'::regtype
GROUP BY p.proname;
SELECT * FROM regress.rest_may_execute ORDER BY 1;

-- Every read function as a request calls it: named arguments, every
-- optional one left out (GET /rpc/<fn>?p_user_id=... sends the same).
CREATE FUNCTION regress.rest_calls(p_user uuid)
RETURNS TABLE (fn text, outcome text) LANGUAGE sql AS $$
    SELECT f, regress.outcome(format(q, p_user))
    FROM (VALUES
        ('sync_get_effective_genres', 'SELECT cardinality(sync_get_effective_genres(p_user_id => %L))'),
        ('sync_get_playlist_tune_genres', 'SELECT cardinality(sync_get_playlist_tune_genres(p_user_id => %L))'),
        ('sync_notes_page', 'SELECT count(*) FROM sync_notes_page(p_user_id => %L)'),
        ('sync_references_page', 'SELECT count(*) FROM sync_references_page(p_user_id => %L)'),
        ('sync_tunes_page', 'SELECT count(*) FROM sync_tunes_page(p_user_id => %L)'),
        ('sync_get_user_notes', 'SELECT count(*) FROM sync_get_user_notes(p_user_id => %L, p_genre_ids => ''{irish}'')'),
        ('sync_get_user_references', 'SELECT count(*) FROM sync_get_user_references(p_user_id => %L, p_genre_ids => ''{irish}'')'),
        ('sync_pull', 'SELECT sync_pull(p_table => ''note'', p_user_id => %L) ->> ''row_count'''),
        ('sync_range_checksum', 'SELECT row_count FROM sync_range_checksum(p_table => ''note'', p_user_id => %L)'),
        ('sync_partition_bounds', 'SELECT count(*) FROM sync_partition_bounds(p_table => ''note'', p_user_id => %L)'),
        ('sync_safe_horizon', 'SELECT count(sync_safe_horizon()) >= 0 OR %L IS NULL'),
        ('sync_publish_horizon', 'SELECT count(sync_publish_horizon()) >= 0 OR %L IS NULL'),
        ('sync_required_indexes', 'SELECT count(*) >= 0 FROM sync_required_indexes() WHERE %L IS NOT NULL'),
        ('sync_check_key_index', 'SELECT count(*) FROM sync_check_key_index() WHERE %L IS NOT NULL')
    ) AS c(f, q)
$$;

-- Left out means what NULL means: the same rows as the positional call
-- with NULL for every optional argument (p_limit: 1000, p_parts: 4).
SELECT 'sync_notes_page' AS fn,
       (SELECT array_agg(id ORDER BY last_modified_at, id) FROM sync_notes_page(p_user_id => :'u1'))
     = (SELECT array_agg(id ORDER BY last_modified_at, id)
        FROM sync_notes_page(:'u1', NULL, NULL, NULL, NULL, NULL, NULL)) AS same
UNION ALL
SELECT 'sync_references_page',
       (SELECT array_agg(id ORDER BY last_modified_at, id) FROM sync_references_page(p_user_id => :'u1'))
     = (SELECT array_agg(id ORDER BY last_modified_at, id)
        FROM sync_references_page(:'u1', NULL, NULL, NULL, NULL, NULL, NULL))
UNION ALL
SELECT 'sync_tunes_page',
       (SELECT array_agg(id ORDER BY last_modified_at, id) FROM sync_tunes_page(p_user_id => :'u1'))
     = (SELECT array_agg(id ORDER BY last_modified_at, id)
        FROM sync_tunes_page(:'u1', NULL, NULL, NULL, NULL, NULL, NULL))
UNION ALL
SELECT 'sync_range_checksum',
       (SELECT c FROM sync_range_checksum(p_table => 'note', p_user_id => :'u1') c)
     = (SELECT c FROM sync_range_checksum('note', :'u1', NULL, NULL, NULL) c)
UNION ALL
-- (after_cursor without its moves stamp, the horizon's at each call)
SELECT 'sync_partition_bounds',
       (SELECT array_agg((b.part, b.after_timestamp, b.after_id, b.until_timestamp, b.until_id,
                          regexp_replace(b.after_cursor, '^(v2/[^/]*/)[0-9]+/', '\1'), b.until_cursor,
                          b.estimated_rows) ORDER BY b.part)
        FROM sync_partition_bounds(p_table => 'note', p_user_id => :'u1') b)
     = (SELECT array_agg((b.part, b.after_timestamp, b.after_id, b.until_timestamp, b.until_id,
                          regexp_replace(b.after_cursor, '^(v2/[^/]*/)[0-9]+/', '\1'), b.until_cursor,
                          b.estimated_rows) ORDER BY b.part)
        FROM sync_partition_bounds('note', :'u1', NULL, 4, NULL) b)
   AND (SELECT count(*) FROM sync_partition_bounds('note', :'u1', NULL, NULL, NULL)) = 4;

-- A signed-in user (authenticated): its own sync is served by every
-- function granted to it; the rest is refused with 42501.
BEGIN;
SET LOCAL ROLE gs_rest_authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', :'u1'), true) IS NOT NULL AS claims_set;
SELECT * FROM regress.rest_calls(:'u1');
COMMIT;

-- POST /rpc/sync_pull with the JSON body {"p_table":"note","p_user_id":...}:
-- PostgREST reads the body with json_to_record and passes only its keys.
BEGIN;
SET LOCAL ROLE gs_rest_authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', :'u1'), true) IS NOT NULL AS claims_set;
SELECT p ->> 'row_count' AS row_count, p ->> 'has_more' AS has_more, p::jsonb ? 'next_cursor' AS has_cursor
FROM json_to_record(format('{"p_table":"note","p_user_id":"%s","p_limit":5}', :'u1')::json)
         AS body(p_table text, p_user_id uuid, p_limit integer),
     LATERAL sync_pull(p_table => body.p_table, p_user_id => body.p_user_id, p_limit => body.p_limit) AS p;
COMMIT;

-- The identity errors a request can meet.
BEGIN;
SET LOCAL ROLE gs_rest_authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', :'u1'), true) IS NOT NULL AS claims_set;
SELECT regress.outcome(format('SELECT sync_pull(p_table => ''note'', p_user_id => %L)', :'u2')) AS someone_else;
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true) IS NOT NULL AS claims_set;
SELECT regress.outcome(format('SELECT count(*) FROM sync_notes_page(p_user_id => %L)', :'u1')) AS no_sub;
SELECT set_config('request.jwt.claims', '{"sub":', true) IS NOT NULL AS claims_set;
SELECT regress.outcome(format('SELECT count(*) FROM sync_partition_bounds(p_table => ''note'', p_user_id => %L)', :'u1')) AS malformed;
COMMIT;

-- anon: refused by every function, as PostgREST reports it (42501).
BEGIN;
SET LOCAL ROLE gs_rest_anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true) IS NOT NULL AS claims_set;
SELECT * FROM regress.rest_calls(:'u1');
COMMIT;

-- The worker: trusted, it syncs any user whatever the request's claims.
SET genre_sync.trusted_roles = 'gs_rest_worker';
BEGIN;
SET LOCAL ROLE gs_rest_worker;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"service_role"}', :'u1'), true) IS NOT NULL AS claims_set;
SELECT * FROM regress.rest_calls(:'u2');
COMMIT;
-- Not listed in genre_sync.trusted_roles, it is one user like any other.
RESET genre_sync.trusted_roles;
BEGIN;
SET LOCAL ROLE gs_rest_worker;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"service_role"}', :'u1'), true) IS NOT NULL AS claims_set;
SELECT regress.outcome(format('SELECT sync_pull(p_table => ''note'', p_user_id => %L) ->> ''row_count''', :'u2')) AS untrusted;
COMMIT;

-- The DBA's jobs: publishing the horizon and the monitoring reads, and no sync.
BEGIN;
SET LOCAL ROLE gs_rest_ops;
SELECT * FROM regress.rest_calls(:'u1') WHERE fn IN ('sync_publish_horizon', 'sync_required_indexes',
                                                     'sync_check_key_index', 'sync_pull');
ROLLBACK;

DROP FUNCTION regress.rest_calls(uuid);
DROP VIEW regress.rest_may_execute;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM gs_rest_authenticated, gs_rest_worker, gs_rest_ops;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM gs_rest_authenticated, gs_rest_worker, gs_rest_ops;
REVOKE USAGE ON SCHEMA public FROM gs_rest_authenticated, gs_rest_worker, gs_rest_ops;
REVOKE USAGE ON SCHEMA regress FROM gs_rest_anon, gs_rest_authenticated, gs_rest_worker, gs_rest_ops;

-- Default privileges that grant every new function and table to the
-- gateway's roles, as Supabase's do, in a database of its own.
CREATE DATABASE gs_rest_defaults;
\c gs_rest_defaults
SET client_min_messages = warning;
\set ECHO none
\i tools/app_schema.sql
\set ECHO all
RESET client_min_messages;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT EXECUTE ON FUNCTIONS TO gs_rest_anon, gs_rest_authenticated, gs_rest_worker;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT ALL ON TABLES TO gs_rest_anon, gs_rest_authenticated, gs_rest_worker;
CREATE EXTENSION genre_sync;

-- Nobody but the owner may use the extension's functions and tables.
CREATE VIEW rest_grants AS
SELECT 'function' AS kind, p.proname::text AS object,
       coalesce(string_agg(substr(r.rolname, 9), ', ' ORDER BY r.rolname)
                  FILTER (WHERE has_function_privilege(r.oid, p.oid, 'EXECUTE')), '') AS granted
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'genre_sync'
CROSS JOIN pg_roles r
WHERE r.rolname LIKE 'gs\_rest\_%'
GROUP BY p.proname
UNION ALL
SELECT 'table', c.relname::text,
       coalesce(string_agg(substr(r.rolname, 9), ', ' ORDER BY r.rolname)
                  FILTER (WHERE has_table_privilege(r.oid, c.oid,
                                  'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')), '')
FROM pg_class c
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'genre_sync'
CROSS JOIN pg_roles r
WHERE r.rolname LIKE 'gs\_rest\_%' AND c.relkind = 'r'
GROUP BY c.relname;
-- pg_init_privs holds the owner's privileges only: what the scripts meant.
CREATE VIEW rest_init_privs AS
SELECT count(*) AS objects,
       bool_and(NOT EXISTS (SELECT FROM aclexplode(i.initprivs) a
                            WHERE a.grantee <> current_user::regrole)) AS initprivs_owner_only
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'genre_sync'
LEFT JOIN pg_init_privs i ON i.classoid = d.classid AND i.objoid = d.objid AND i.objsubid = 0
WHERE d.deptype = 'e' AND (d.classid = 'pg_proc'::regclass
                           OR d.objid IN (SELECT oid FROM pg_class WHERE relkind = 'r'));
SELECT kind, count(*) AS objects, granted FROM rest_grants GROUP BY kind, granted ORDER BY 1, 3;
SELECT * FROM rest_init_privs;

BEGIN;
SET LOCAL ROLE gs_rest_anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true) IS NOT NULL AS claims_set;
SELECT sync_safe_horizon();
ROLLBACK;

-- A 1.2 install under the same defaults: 1.2's scripts revoked PUBLIC only,
-- so the defaults' grants stayed and pg_init_privs recorded them as the
-- scripts' (tables: no row). Rebuilt here as 1.2 left it; then the DBA
-- grants the ops role what it needs; then the update to 1.3.
DROP EXTENSION genre_sync;
CREATE EXTENSION genre_sync VERSION '1.2';
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO gs_rest_anon, gs_rest_authenticated, gs_rest_worker;
GRANT ALL ON sync_horizon_publication, sync_key_note, sync_key_reference
    TO gs_rest_anon, gs_rest_authenticated, gs_rest_worker;
UPDATE pg_init_privs i SET initprivs = p.proacl FROM pg_proc p
WHERE i.classoid = 'pg_proc'::regclass AND i.objoid = p.oid AND p.proname LIKE 'sync\_%';
DELETE FROM pg_init_privs
WHERE classoid = 'pg_class'::regclass
  AND objoid IN ('sync_horizon_publication'::regclass, 'sync_key_note'::regclass, 'sync_key_reference'::regclass);
GRANT EXECUTE ON FUNCTION sync_publish_horizon TO gs_rest_ops;
GRANT SELECT, INSERT, UPDATE ON sync_horizon_publication TO gs_rest_ops;
SELECT kind, count(*) AS objects, granted FROM rest_grants GROUP BY kind, granted ORDER BY 1, 3;
ALTER EXTENSION genre_sync UPDATE;
-- The defaults' grants are gone, the DBA's are kept.
SELECT kind, count(*) AS objects, granted FROM rest_grants GROUP BY kind, granted ORDER BY 1, 3;
SELECT * FROM rest_init_privs;

\c :regress_db
DROP DATABASE gs_rest_defaults;
DROP ROLE gs_rest_anon, gs_rest_authenticated, gs_rest_worker, gs_rest_ops;
