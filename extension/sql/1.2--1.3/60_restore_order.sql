-- Restoring a dump ----------------------------------------------------------------
--
-- pg_dump writes CREATE EXTENSION before the tables, unless the extension
-- depends on them; but CREATE EXTENSION genre_sync needs the app's tables
-- (10_app_schema_check.sql, whose list this is; the drop-ins return SETOF
-- note, reference and tune). So the extension records a normal dependency on
-- each of them: pg_dump then orders them first, and a plain pg_restore or
-- psql of the dump runs CREATE EXTENSION after them (README, "Backup and
-- restore"). DROP TABLE of one of them without CASCADE now names the
-- extension as the object that needs it; with CASCADE it drops the extension,
-- as it already did for tune, note and reference through the drop-ins.
INSERT INTO pg_catalog.pg_depend (classid, objid, objsubid, refclassid, refobjid, refobjsubid, deptype)
SELECT 'pg_catalog.pg_extension'::pg_catalog.regclass, e.oid, 0,
       'pg_catalog.pg_class'::pg_catalog.regclass, c.oid, 0, 'n'
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_class c ON c.relnamespace = e.extnamespace
WHERE e.extname = 'genre_sync'
  AND c.relname IN ('genre', 'user_profile', 'tune', 'note', 'reference', 'playlist',
                    'playlist_tune', 'user_genre_selection')
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                    AND d.objid = e.oid
                    AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND d.refobjid = c.oid);
