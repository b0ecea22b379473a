-- Privileges ---------------------------------------------------------------------
--
-- PostgreSQL lets PUBLIC execute every new function. Nobody needs that here:
-- the functions run with the caller's privileges (SECURITY INVOKER), and a
-- role that cannot call them learns nothing it should not, but a gateway
-- such as PostgREST offers every function its roles may execute to the
-- internet, so the extension's functions start callable by their owner only
-- and the DBA grants EXECUTE to the roles that sync (README, "Security").
--
-- The same fragment ends every version's script: it handles the functions
-- whose privileges no script of the extension has set yet (they have no
-- pg_init_privs row), so an update never takes back a grant the DBA made.
DO $privileges$
DECLARE
    fn regprocedure;
BEGIN
    FOR fn IN
        SELECT d.objid::regprocedure
        FROM pg_catalog.pg_depend d
        WHERE d.classid = 'pg_catalog.pg_proc'::regclass
          AND d.refclassid = 'pg_catalog.pg_extension'::regclass
          AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e
                            WHERE e.extname = 'genre_sync')
          AND d.deptype = 'e'
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_init_privs i
                          WHERE i.classoid = d.classid AND i.objoid = d.objid)
        ORDER BY d.objid
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
    END LOOP;
END
$privileges$;
