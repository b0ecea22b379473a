-- sync_pull returns json -------------------------------------------------------
--
-- The envelope is written as JSON text straight from the page's rows (no jsonb
-- per row, no jsonb envelope to build and print again): its text is the one
-- 1.2's jsonb printed, so clients that read the text (postgres.js, PostgREST,
-- any driver) see the same fields and values. A SQL caller that used jsonb
-- operators on the result writes sync_pull(...)::jsonb (README, "Upgrading").
--
-- A function's result type cannot be replaced, so the update drops and
-- creates it; what the DBA had granted on it is granted again, as the same
-- owner, and recorded as the DBA's (not in pg_init_privs), so the privileges
-- fragment that ends this script and pg_dump keep it. An object that depends
-- on sync_pull (a view, a BEGIN ATOMIC function) stops the update with its
-- name.
DO $pull_json$
DECLARE
    old_function CONSTANT regprocedure :=
        '@extschema@.sync_pull(text, uuid, text[], text, integer, text)'::regprocedure;
    old_acl aclitem[];
    old_init aclitem[];
    old_owner oid;
    dependent text;
    g record;
BEGIN
    SELECT pg_catalog.string_agg(pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid), ', ')
    INTO dependent
    FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_proc'::regclass AND d.refobjid = old_function
      AND d.deptype = 'n';
    IF dependent IS NOT NULL THEN
        RAISE EXCEPTION 'genre_sync 1.3 changes sync_pull''s result type to json, and % depends on it',
                dependent
            USING ERRCODE = 'dependent_objects_still_exist',
                  HINT = 'Drop those objects, run ALTER EXTENSION genre_sync UPDATE, and create them '
                         'again with sync_pull(...)::jsonb where they use jsonb operators.';
    END IF;
    SELECT p.proacl, p.proowner, i.initprivs INTO old_acl, old_owner, old_init
    FROM pg_catalog.pg_proc p
    LEFT JOIN pg_catalog.pg_init_privs i
           ON i.classoid = 'pg_catalog.pg_proc'::regclass AND i.objoid = p.oid AND i.objsubid = 0
    WHERE p.oid = old_function;

    DROP FUNCTION @extschema@.sync_pull(text, uuid, text[], text, integer, text);
    CREATE FUNCTION @extschema@.sync_pull(
        p_table text,
        p_user_id uuid,
        p_genre_ids text[] DEFAULT NULL,
        p_cursor text DEFAULT NULL,
        p_limit integer DEFAULT 1000,
        p_until text DEFAULT NULL)
    RETURNS json
    AS 'MODULE_PATHNAME', 'sync_pull'
    LANGUAGE C STABLE PARALLEL RESTRICTED;
    COMMENT ON FUNCTION @extschema@.sync_pull(text, uuid, text[], text, integer, text) IS
    'One page for a worker as json: rows after p_cursor up to p_until and below the safe horizon, next_cursor, has_more, the horizon, the genres and their hash';
    IF old_owner <> (SELECT p.proowner FROM pg_catalog.pg_proc p
                     WHERE p.oid = '@extschema@.sync_pull(text, uuid, text[], text, integer, text)'::regprocedure) THEN
        EXECUTE pg_catalog.format('ALTER FUNCTION @extschema@.sync_pull(text, uuid, text[], text, integer, text) OWNER TO %I',
                                  pg_catalog.pg_get_userbyid(old_owner));
    END IF;

    -- The owner's entries only (CREATE FUNCTION gave PUBLIC and the default
    -- privileges theirs), then the DBA's grants: the old entries that were
    -- not in the scripts' pg_init_privs row.
    REVOKE ALL ON FUNCTION @extschema@.sync_pull(text, uuid, text[], text, integer, text) FROM PUBLIC;
    FOR g IN
        SELECT DISTINCT a.grantee
        FROM pg_catalog.pg_proc p, pg_catalog.aclexplode(p.proacl) a
        WHERE p.oid = '@extschema@.sync_pull(text, uuid, text[], text, integer, text)'::regprocedure
          AND a.grantee <> p.proowner
    LOOP
        EXECUTE pg_catalog.format(
            'REVOKE ALL ON FUNCTION @extschema@.sync_pull(text, uuid, text[], text, integer, text) FROM %s',
            CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END);
    END LOOP;
    FOR g IN
        SELECT a.grantee, a.is_grantable
        FROM pg_catalog.aclexplode(coalesce(old_acl, pg_catalog.acldefault('f', old_owner))) a
        WHERE a.grantee <> old_owner AND a.grantor = old_owner
          AND NOT EXISTS (SELECT FROM pg_catalog.aclexplode(old_init) s
                          WHERE s.grantee = a.grantee AND s.privilege_type = a.privilege_type)
        ORDER BY 1
    LOOP
        EXECUTE pg_catalog.format(
            'GRANT EXECUTE ON FUNCTION @extschema@.sync_pull(text, uuid, text[], text, integer, text) TO %s%s',
            CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END,
            CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
    UPDATE pg_catalog.pg_init_privs i
    SET initprivs = ARRAY(SELECT item FROM pg_catalog.unnest(p.proacl) AS u(item)
                          WHERE (SELECT bool_and(x.grantee = p.proowner)
                                 FROM pg_catalog.aclexplode(ARRAY[u.item]) x))
    FROM pg_catalog.pg_proc p
    WHERE p.oid = '@extschema@.sync_pull(text, uuid, text[], text, integer, text)'::regprocedure
      AND i.classoid = 'pg_catalog.pg_proc'::regclass AND i.objoid = p.oid AND i.objsubid = 0;
END
$pull_json$;
