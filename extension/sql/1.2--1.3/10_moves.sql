-- Filter changes: what the server remembers so that a worker learns of rows
-- that entered or left a user's filter without a change of their own
-- last_modified_at (docs/protocol.md, "Filter changes").
--
-- A tune whose genre, private_for or deleted flag changes moves its notes and
-- references in or out of every filter that reads it; a note or reference
-- whose tune_ref or user_ref changes moves itself. sync_move keeps one row
-- per moved row: its latest move's stamp, taken like last_modified_at (the
-- moving transaction's now() in genre_sync.stamp_time_zone), so the safe
-- horizon covers moves exactly as it covers rows: once the horizon is past a
-- stamp, every move stamped before it has committed. A v2 cursor remembers
-- up to which stamp its replica has seen the moves. Rows written on the
-- primary, so standbys read the same moves.
--
-- prior_users and prior_genres say whose replica a moved row may be in: every
-- private_for (tunes) or user_ref (notes, references) and every genre (tunes)
-- it had before a move, NULL written as the nil uuid (everyone's). A sync
-- tells a user to remove only rows that were or are theirs to see.
CREATE TABLE sync_move (
    table_name   text      NOT NULL CHECK (table_name IN ('tune', 'note', 'reference')),
    id           uuid      NOT NULL,
    moved_at     timestamp NOT NULL,
    prior_users  uuid[]    NOT NULL,
    prior_genres text[]    NOT NULL,
    PRIMARY KEY (table_name, id)
);
CREATE INDEX sync_move_time_idx ON sync_move (moved_at) INCLUDE (table_name, id);
-- A genre that leaves a filter also takes the tunes that had it and moved,
-- whenever they moved (docs/protocol.md, "Filter changes").
CREATE INDEX sync_move_prior_genres_idx ON sync_move USING gin (prior_genres);
COMMENT ON TABLE sync_move IS
'Rows whose move in or out of users'' filters a sync must deliver: tunes whose genre, private_for or deleted changed, notes and references whose tune_ref or user_ref changed; kept by triggers';
SELECT pg_catalog.pg_extension_config_dump('sync_move', '');

-- The stamp of a move, as the app stamps last_modified_at. The setting is
-- read as text so that the trigger works in a backend that has not loaded
-- the extension's library (where an ALTER DATABASE value is a placeholder).
CREATE FUNCTION sync_move_stamp() RETURNS timestamp
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT now() AT TIME ZONE coalesce(nullif(current_setting('genre_sync.stamp_time_zone', true), ''), 'UTC') $$;

DO $moves$
DECLARE
    tab text;
    -- The columns whose change moves the row, per table.
    -- table, the new and old values whose change moves a row, its prior
    -- users and genres
    moving constant text[][] := ARRAY[
        ['tune', '(n.genre, n.private_for, n.deleted)', '(o.genre, o.private_for, o.deleted)',
         'o.private_for', 'ARRAY[o.genre]'],
        ['note', '(n.tune_ref, n.user_ref)', '(o.tune_ref, o.user_ref)', 'o.user_ref', '''{}'''],
        ['reference', '(n.tune_ref, n.user_ref)', '(o.tune_ref, o.user_ref)', 'o.user_ref', '''{}''']];
    i int;
BEGIN
    FOR i IN 1 .. 3 LOOP
        tab := moving[i][1];
        EXECUTE format($sql$
            CREATE FUNCTION %1$I() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $fn$
            BEGIN
                INSERT INTO @extschema@.sync_move AS m
                SELECT %2$L, n.id, @extschema@.sync_move_stamp(),
                       ARRAY[coalesce(%5$s, '00000000-0000-0000-0000-000000000000')], %6$s
                FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE %3$s IS DISTINCT FROM %4$s
                ON CONFLICT (table_name, id) DO UPDATE
                SET moved_at = greatest(m.moved_at, excluded.moved_at),
                    prior_users = ARRAY(SELECT DISTINCT u FROM unnest(m.prior_users || excluded.prior_users) u),
                    prior_genres = ARRAY(SELECT DISTINCT g FROM unnest(m.prior_genres || excluded.prior_genres) g);
                RETURN NULL;
            END
            $fn$;
            $sql$, 'sync_move_' || tab || '_updated', tab, moving[i][2], moving[i][3],
            moving[i][4], moving[i][5]);
    END LOOP;
END
$moves$;

-- The triggers, one per table, made by a function so that a superuser can
-- make them again where they are missing: sync_pull refuses to run without
-- them (backend/triggers.cpp), and pg_upgrade's dump leaves them out (below).
-- Their name is the C++'s (backend/triggers.cpp), given to this script by
-- sync_move_trigger_name(), which exists only while it runs.
--
-- They belong with the extension: DROP EXTENSION, which drops their
-- functions, drops them too (their dependency on the function becomes
-- automatic, as an internal trigger's is), so the app's tables are left as
-- they were before CREATE EXTENSION.
--
-- A dump must not carry them: a restore runs CREATE EXTENSION, which makes
-- them, and a dumped CREATE TRIGGER after it would fail as a duplicate. A
-- trigger cannot be an extension member, and pg_dump dumps every trigger of a
-- table that is not internal, so they are marked internal, as the triggers of
-- a foreign key are. That also leaves them out of psql's \d and
-- information_schema.triggers (README, "Installation", says how to see them),
-- and only a superuser may disable them. pg_dump --binary-upgrade (pg_upgrade)
-- leaves them out as well and does not run this script: after pg_upgrade,
-- sync_pull says they are missing and names this function. The tables' order
-- in a dump is 60_restore_order.sql's.
CREATE FUNCTION sync_move_trigger_name() RETURNS text
AS 'MODULE_PATHNAME', 'sync_move_trigger_name'
LANGUAGE C IMMUTABLE STRICT;

DO $install$
DECLARE
    trigger_name constant text := @extschema@.sync_move_trigger_name();
BEGIN
    EXECUTE format($sql$
        CREATE FUNCTION @extschema@.sync_install_move_triggers() RETURNS integer
        LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
        AS $fn$
        DECLARE
            tab text;
            made integer := 0;
            trigger_oid oid;
        BEGIN
            FOREACH tab IN ARRAY ARRAY['tune', 'note', 'reference'] LOOP
                SELECT g.oid INTO trigger_oid FROM pg_trigger g
                WHERE g.tgrelid = format('@extschema@.%%I', tab)::regclass AND g.tgname = %1$L;
                IF trigger_oid IS NULL THEN
                    EXECUTE format($create$
                        CREATE TRIGGER %1$I AFTER UPDATE ON @extschema@.%%1$I
                            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                            FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.%%2$I()
                        $create$, tab, 'sync_move_' || tab || '_updated');
                    made := made + 1;
                END IF;
                -- Also under session_replication_role = replica (logical replication).
                EXECUTE format('ALTER TABLE @extschema@.%%I ENABLE ALWAYS TRIGGER %1$I', tab);
            END LOOP;
            UPDATE pg_depend d SET deptype = 'a'
            FROM pg_trigger g
            WHERE d.classid = 'pg_trigger'::regclass AND d.objid = g.oid
              AND d.refclassid = 'pg_proc'::regclass AND d.refobjid = g.tgfoid
              AND d.deptype = 'n' AND g.tgname = %1$L
              AND g.tgrelid IN ('@extschema@.tune'::regclass, '@extschema@.note'::regclass,
                                '@extschema@.reference'::regclass);
            UPDATE pg_trigger g SET tgisinternal = true
            WHERE g.tgname = %1$L AND NOT g.tgisinternal
              AND g.tgrelid IN ('@extschema@.tune'::regclass, '@extschema@.note'::regclass,
                                '@extschema@.reference'::regclass);
            RETURN made;
        END
        $fn$
        $sql$, trigger_name);
    EXECUTE format('COMMENT ON FUNCTION @extschema@.sync_install_move_triggers() IS %L',
        format('Creates the %s triggers that are missing on tune, note and reference (after pg_upgrade) and enables them ALWAYS; returns how many it created. Superuser only: it marks them internal. Moves made while one was missing or disabled are not recorded',
               trigger_name));
END
$install$;
DROP FUNCTION sync_move_trigger_name();

SELECT sync_install_move_triggers();
