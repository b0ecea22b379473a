-- DROP EXTENSION leaves the app's tables and data alone; CREATE EXTENSION
-- names what the app schema lacks; 1.0 updates and works. That an update
-- from the last release gives exactly a fresh install's definitions and
-- grants is tested against a frozen copy of that release's script, with
-- pg_dump: tests/integration/upgrade_dump.sh (a fresh install runs the same
-- scripts as 1.0 + UPDATE, so comparing those two here could not fail).
CREATE TEMP TABLE fresh_objects AS
SELECT pg_describe_object(classid, objid, objsubid) AS object
FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'genre_sync');

-- Each app table's row count, contents and columns.
CREATE FUNCTION pg_temp.table_state(p_table regclass) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_rows text;
BEGIN
    EXECUTE format('SELECT count(*) || '':'' || coalesce(md5(string_agg(t::text, '','' ORDER BY t::text)), '''') FROM %s t',
                   p_table) INTO v_rows;
    RETURN v_rows || ':' || (SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ',' ORDER BY attnum)
                             FROM pg_attribute WHERE attrelid = p_table AND attnum > 0 AND NOT attisdropped);
END
$$;
CREATE TEMP TABLE app_state AS
SELECT t AS relname, pg_temp.table_state(t::regclass) AS state
FROM unnest(ARRAY['genre', 'user_profile', 'instrument', 'tune', 'note', 'reference',
                  'playlist', 'playlist_tune', 'user_genre_selection']) t;

SELECT extversion FROM pg_extension WHERE extname = 'genre_sync';
SELECT count(*) > 0 AS has_objects FROM fresh_objects;

DROP EXTENSION genre_sync;
SELECT count(*) AS tables_unchanged
FROM app_state a WHERE a.state = pg_temp.table_state(a.relname::regclass);
SELECT count(*) AS functions_left FROM pg_proc
WHERE proname LIKE 'sync\_%' AND pronamespace = 'public'::regnamespace;

-- CREATE EXTENSION names what the app schema lacks: a table, a column, a
-- column of another type; and leaves nothing behind.
CREATE SCHEMA gs_app;
CREATE EXTENSION genre_sync SCHEMA gs_app;
CREATE TABLE gs_app.genre (LIKE public.genre);
CREATE TABLE gs_app.user_profile (LIKE public.user_profile);
CREATE TABLE gs_app.tune (LIKE public.tune);
ALTER TABLE gs_app.tune DROP COLUMN private_for;
CREATE EXTENSION genre_sync SCHEMA gs_app;
ALTER TABLE gs_app.tune ADD COLUMN private_for text;
CREATE EXTENSION genre_sync SCHEMA gs_app;
SELECT count(*) AS extensions FROM pg_extension WHERE extname = 'genre_sync';
DROP SCHEMA gs_app CASCADE;

CREATE EXTENSION genre_sync VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'genre_sync';
SELECT to_regprocedure('sync_pull(text,uuid,text[],text,integer,text)') IS NULL AS no_pull_in_1_0,
       to_regprocedure('sync_notes_page(uuid,text[],timestamptz,uuid,integer,timestamptz,uuid)') IS NOT NULL AS pages_in_1_0;

ALTER EXTENSION genre_sync UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'genre_sync';
-- And it works.
SELECT sync_pull('note', regress.u(1), NULL, NULL, 3)->>'row_count' AS rows_pulled;
