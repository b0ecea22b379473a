-- Privileges ---------------------------------------------------------------------
--
-- The extension's functions and tables start usable by their owner only; the
-- DBA grants each kind of caller what it needs (README, "Grants"). Nobody
-- needs more: the functions run with the caller's privileges (SECURITY
-- INVOKER), but a gateway such as PostgREST offers every function its roles
-- may execute to the internet, sync_safe_horizon() tells how far behind the
-- oldest running transaction is, and a role that could write the key index or
-- the published horizon could make workers skip rows.
--
-- Two sources grant more than that when a script creates an object:
-- PostgreSQL's own default (PUBLIC may execute a function), and the default
-- privileges (ALTER DEFAULT PRIVILEGES) of the role that runs the script;
-- Supabase grants anon, authenticated and service_role EXECUTE on every new
-- function and ALL on every new table in public that way.
--
-- This fragment ends every version's script, so it runs at CREATE EXTENSION
-- and at every ALTER EXTENSION UPDATE. It takes back what those two sources
-- granted and keeps what the DBA granted since. pg_init_privs tells them
-- apart: PostgreSQL records there an extension object's privileges as its
-- scripts left them, so an entry of the live ACL that is also in
-- pg_init_privs was granted while a script ran, and one that is not was
-- granted by the DBA after. An object without a pg_init_privs row (one this
-- script created, or a table of 1.1 or 1.2, whose scripts granted nothing)
-- has its entries taken back when they are PUBLIC's or match the owner's
-- default privileges; for a table that 1.1 or 1.2 created under such
-- defaults, a DBA's grant of the same privilege to the same role cannot be
-- told apart and is taken back too (README, "Upgrading").
--
-- A REVOKE during a script records the object's whole resulting ACL in
-- pg_init_privs, DBA grants included, which would make the next update take
-- those back; so the row is then set to the owner's entries alone, which is
-- what the scripts intend. pg_dump relies on the same row: it dumps the
-- difference between it and the live ACL, that is the DBA's grants.
DO $privileges$
DECLARE
    o record;
    g record;
BEGIN
    FOR o IN
        SELECT d.classid, d.objid, 'f'::"char" AS kind, p.proowner AS owner,
               p.pronamespace AS namespace,
               format('FUNCTION %I.%I(%s)', n.nspname, p.proname,
                      pg_catalog.pg_get_function_identity_arguments(p.oid)) AS target,
               i.initprivs
        FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_proc p ON p.oid = d.objid
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        LEFT JOIN pg_catalog.pg_init_privs i
               ON i.classoid = d.classid AND i.objoid = d.objid AND i.objsubid = 0
        WHERE d.classid = 'pg_catalog.pg_proc'::regclass
          AND d.refclassid = 'pg_catalog.pg_extension'::regclass
          AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e
                            WHERE e.extname = 'genre_sync')
          AND d.deptype = 'e'
        UNION ALL
        SELECT d.classid, d.objid, 'r'::"char", c.relowner, c.relnamespace,
               format('TABLE %I.%I', n.nspname, c.relname),
               i.initprivs
        FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_class c ON c.oid = d.objid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_init_privs i
               ON i.classoid = d.classid AND i.objoid = d.objid AND i.objsubid = 0
        WHERE d.classid = 'pg_catalog.pg_class'::regclass
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND d.refclassid = 'pg_catalog.pg_extension'::regclass
          AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e
                            WHERE e.extname = 'genre_sync')
          AND d.deptype = 'e'
        ORDER BY 1, 2
    LOOP
        FOR g IN
            SELECT a.grantee, a.privilege_type
            FROM pg_catalog.aclexplode(coalesce(
                     CASE o.kind WHEN 'f' THEN (SELECT p.proacl FROM pg_catalog.pg_proc p
                                               WHERE p.oid = o.objid)
                                 ELSE (SELECT c.relacl FROM pg_catalog.pg_class c
                                       WHERE c.oid = o.objid) END,
                     pg_catalog.acldefault(o.kind, o.owner))) a
            WHERE a.grantee <> o.owner
              AND a.grantor = o.owner
              AND CASE WHEN o.initprivs IS NOT NULL THEN
                       EXISTS (SELECT FROM pg_catalog.aclexplode(o.initprivs) s
                               WHERE s.grantee = a.grantee
                                 AND s.privilege_type = a.privilege_type)
                  ELSE
                       a.grantee = 0
                       OR EXISTS (SELECT FROM pg_catalog.pg_default_acl da,
                                              pg_catalog.aclexplode(da.defaclacl) s
                                  WHERE da.defaclrole = o.owner
                                    AND da.defaclnamespace IN (0, o.namespace)
                                    AND da.defaclobjtype = o.kind
                                    AND s.grantee = a.grantee
                                    AND s.privilege_type = a.privilege_type)
                  END
            ORDER BY 1, 2
        LOOP
            EXECUTE format('REVOKE %s ON %s FROM %s', g.privilege_type, o.target,
                           CASE WHEN g.grantee = 0 THEN 'PUBLIC'
                                ELSE quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END);
        END LOOP;

        -- Gives an object without a row its row (a REVOKE records one).
        IF o.initprivs IS NULL THEN
            EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', o.target);
        END IF;

        UPDATE pg_catalog.pg_init_privs i
        SET initprivs = owner_only.acl
        FROM (SELECT ARRAY(SELECT item
                           FROM unnest(CASE o.kind
                                       WHEN 'f' THEN (SELECT p.proacl FROM pg_catalog.pg_proc p
                                                      WHERE p.oid = o.objid)
                                       ELSE (SELECT c.relacl FROM pg_catalog.pg_class c
                                             WHERE c.oid = o.objid) END) WITH ORDINALITY AS u(item, n)
                           WHERE (SELECT bool_and(x.grantee = o.owner)
                                  FROM pg_catalog.aclexplode(ARRAY[u.item]) x)
                           ORDER BY u.n) AS acl) owner_only
        WHERE i.classoid = o.classid AND i.objoid = o.objid AND i.objsubid = 0
          AND i.initprivs IS DISTINCT FROM owner_only.acl;
    END LOOP;
END
$privileges$;
