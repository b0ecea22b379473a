-- Turning the key index on and off, and checking it. The page functions use
-- it only while every one of its triggers is in place and fires ALWAYS (also
-- under session_replication_role = replica, so logical replication keeps it).

CREATE FUNCTION sync_disable_key_index()
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $fn$
DECLARE
    tab text;
    trig record;
BEGIN
    FOREACH tab IN ARRAY ARRAY['tune', 'note', 'reference'] LOOP
        IF NOT pg_catalog.pg_has_role(
               (SELECT c.relowner FROM pg_catalog.pg_class c
                WHERE c.oid = format('@extschema@.%I', tab)::regclass), 'USAGE') THEN
            RAISE EXCEPTION 'the key index requires ownership of table %', tab
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END LOOP;
    FOR trig IN
        SELECT g.tgname, g.tgrelid::regclass AS rel
        FROM pg_catalog.pg_trigger g
        WHERE g.tgrelid IN ('@extschema@.tune'::regclass, '@extschema@.note'::regclass,
                            '@extschema@.reference'::regclass)
          AND g.tgname IN ('genre_sync_key_index', 'genre_sync_key_index_insert',
                           'genre_sync_key_index_update', 'genre_sync_key_index_delete',
                           'genre_sync_key_index_truncate')
        ORDER BY 2, 1
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', trig.tgname, trig.rel);
    END LOOP;
    TRUNCATE @extschema@.sync_key_note, @extschema@.sync_key_reference;
    FOR trig IN
        SELECT c.oid::regclass AS rel FROM pg_catalog.pg_class c
        WHERE c.relnamespace = '@extschema@'::regnamespace
          AND c.relname IN ('genre_sync_tune_genre_key_idx', 'genre_sync_tune_private_key_idx')
    LOOP
        EXECUTE format('DROP INDEX %s', trig.rel);
    END LOOP;
END
$fn$;

COMMENT ON FUNCTION sync_disable_key_index() IS
'Drops the key index''s triggers and its two indexes on tune and empties its tables; the page functions go back to reading the app tables alone';

CREATE FUNCTION sync_enable_key_index(OUT table_name text, OUT key_rows bigint)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE
AS $fn$
#variable_conflict use_column
DECLARE
    tab text;
BEGIN
    PERFORM @extschema@.sync_disable_key_index();
    -- Writers wait while the keys are filled, so none is missed.
    LOCK TABLE @extschema@.tune, @extschema@.note, @extschema@.reference IN SHARE ROW EXCLUSIVE MODE;
    FOREACH tab IN ARRAY ARRAY['note', 'reference'] LOOP
        EXECUTE format($sql$
            INSERT INTO @extschema@.%2$I
            SELECT n.id, n.last_modified_at, n.tune_ref, n.user_ref,
                   CASE WHEN t.private_for IS NULL THEN t.genre END, t.private_for,
                   t.id IS NOT NULL AND NOT t.deleted
            FROM @extschema@.%1$I n LEFT JOIN @extschema@.tune t ON t.id = n.tune_ref;
            CREATE TRIGGER genre_sync_key_index_insert AFTER INSERT ON @extschema@.%1$I
                REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.%3$I();
            CREATE TRIGGER genre_sync_key_index_update AFTER UPDATE ON @extschema@.%1$I
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.%4$I();
            CREATE TRIGGER genre_sync_key_index_delete AFTER DELETE ON @extschema@.%1$I
                REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.%5$I();
            CREATE TRIGGER genre_sync_key_index_truncate AFTER TRUNCATE ON @extschema@.%1$I
                FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.%5$I();
            ALTER TABLE @extschema@.%1$I
                ENABLE ALWAYS TRIGGER genre_sync_key_index_insert,
                ENABLE ALWAYS TRIGGER genre_sync_key_index_update,
                ENABLE ALWAYS TRIGGER genre_sync_key_index_delete,
                ENABLE ALWAYS TRIGGER genre_sync_key_index_truncate;
            ANALYZE @extschema@.%2$I;
            $sql$,
            tab, 'sync_key_' || tab, 'sync_key_' || tab || '_inserted',
            'sync_key_' || tab || '_updated', 'sync_key_' || tab || '_deleted');
    END LOOP;
    CREATE TRIGGER genre_sync_key_index AFTER UPDATE ON @extschema@.tune
        REFERENCING OLD TABLE AS old_tunes NEW TABLE AS new_tunes
        FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.sync_key_tune_updated();
    ALTER TABLE @extschema@.tune ENABLE ALWAYS TRIGGER genre_sync_key_index;
    -- Tunes carry their genre themselves: two indexes on tune give the same
    -- per-genre and private streams for sync_tunes_page, no side table needed.
    CREATE INDEX genre_sync_tune_genre_key_idx ON @extschema@.tune (genre, last_modified_at, id)
        WHERE private_for IS NULL;
    CREATE INDEX genre_sync_tune_private_key_idx ON @extschema@.tune (private_for, last_modified_at, id)
        WHERE private_for IS NOT NULL;

    RETURN QUERY
    SELECT 'note'::text, count(*) FROM @extschema@.sync_key_note
    UNION ALL
    SELECT 'reference'::text, count(*) FROM @extschema@.sync_key_reference;
END
$fn$;

COMMENT ON FUNCTION sync_enable_key_index() IS
'Fills the key index of note and reference, installs the triggers that keep it and builds its two indexes on tune (writers to tune, note and reference wait meanwhile); calling it again rebuilds it. Requires ownership of the tables';

-- Every app row against its key: missing keys, keys with other values than
-- the row and its tune give, and keys of rows that no longer exist.
CREATE FUNCTION sync_check_key_index(
    OUT table_name text, OUT enabled boolean, OUT key_rows bigint,
    OUT missing bigint, OUT wrong bigint, OUT extra bigint)
RETURNS SETOF record
LANGUAGE plpgsql STABLE
AS $fn$
#variable_conflict use_column
DECLARE
    tab text;
BEGIN
    FOREACH tab IN ARRAY ARRAY['note', 'reference'] LOOP
        table_name := tab;
        SELECT count(*) = 5 INTO enabled
        FROM pg_catalog.pg_trigger g
        WHERE g.tgenabled = 'A'
          AND ((g.tgrelid = format('@extschema@.%I', tab)::regclass
                AND g.tgname IN ('genre_sync_key_index_insert', 'genre_sync_key_index_update',
                                 'genre_sync_key_index_delete', 'genre_sync_key_index_truncate'))
               OR (g.tgrelid = '@extschema@.tune'::regclass AND g.tgname = 'genre_sync_key_index'));
        EXECUTE format($sql$
            SELECT count(k.id),
                   count(*) FILTER (WHERE k.id IS NULL),
                   count(*) FILTER (WHERE k.id IS NOT NULL AND w.id IS NOT NULL
                                    AND (w.*) IS DISTINCT FROM (k.*)),
                   count(*) FILTER (WHERE w.id IS NULL)
            FROM (SELECT n.id, n.last_modified_at, n.tune_ref, n.user_ref,
                         CASE WHEN t.private_for IS NULL THEN t.genre END AS genre, t.private_for,
                         t.id IS NOT NULL AND NOT t.deleted AS tune_live
                  FROM @extschema@.%1$I n LEFT JOIN @extschema@.tune t ON t.id = n.tune_ref) w
            FULL JOIN @extschema@.%2$I k ON k.id = w.id
            $sql$, tab, 'sync_key_' || tab)
        INTO key_rows, missing, wrong, extra;
        RETURN NEXT;
    END LOOP;
END
$fn$;

COMMENT ON FUNCTION sync_check_key_index() IS
'Per table: whether the key index is in use (all its triggers present and firing ALWAYS), its row count, and how many app rows have no key, a wrong key, or keys without a row; all zero when it is sound';
