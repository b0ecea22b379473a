-- The key index: for note and reference, one key row per app row carrying
-- what the row filter reads from the row's tune. Its two indexes let a page
-- read the user's keys in (last_modified_at, id) order either one ordered
-- stream per genre, merged (a user with a few genres), or across all genres
-- index-only with the filter on the key row (a user with many), instead of
-- walking every row and probing its tune. Statement triggers with transition
-- tables keep it in the writing transaction, so a key is visible exactly when
-- its row is. The per-genre and private streams are partial indexes with
-- the equality column first, so each is read in key order.
--
-- genre is the tune's genre only while the tune is public, so that
-- genre = ANY(genres) alone means the seed's
-- (t.genre = ANY(genres) AND t.private_for IS NULL); tune_live means the row
-- has a tune and the tune is not deleted.
DO $key_index$
DECLARE
    tab text;
    -- The key of app row n, from its tune t (LEFT JOIN: no tune, not live).
    key_values constant text :=
        'n.id, n.last_modified_at, n.tune_ref, n.user_ref,'
        ' CASE WHEN t.private_for IS NULL THEN t.genre END, t.private_for,'
        ' t.id IS NOT NULL AND NOT t.deleted';
    -- An updated row whose key columns did not change keeps its key.
    same_key constant text :=
        'EXISTS (SELECT FROM old_rows o WHERE o.id = n.id'
        ' AND o.last_modified_at = n.last_modified_at'
        ' AND o.tune_ref IS NOT DISTINCT FROM n.tune_ref'
        ' AND o.user_ref IS NOT DISTINCT FROM n.user_ref)';
    -- Tunes are locked FOR SHARE before their genre is read: a concurrent
    -- change of a tune's genre, which rewrites the keys of its rows, either
    -- commits first and is read here, or waits for this transaction and
    -- then sees its rows.
    lock_tunes constant text :=
        'PERFORM FROM @extschema@.tune t WHERE t.id IN (SELECT n.tune_ref FROM new_rows n WHERE %s)'
        ' ORDER BY t.id FOR SHARE;';
BEGIN
    FOREACH tab IN ARRAY ARRAY['note', 'reference'] LOOP
        EXECUTE format($sql$
            CREATE TABLE %1$I (
                id               uuid PRIMARY KEY,
                last_modified_at timestamp NOT NULL,
                tune_ref         uuid,
                user_ref         uuid,
                genre            text,
                private_for      uuid,
                tune_live        boolean NOT NULL
            );
            CREATE INDEX %2$I ON %1$I (genre, last_modified_at, id)
                INCLUDE (user_ref) WHERE tune_live AND private_for IS NULL;
            CREATE INDEX %3$I ON %1$I (private_for, last_modified_at, id)
                INCLUDE (user_ref) WHERE tune_live AND private_for IS NOT NULL;
            CREATE INDEX %4$I ON %1$I (last_modified_at, id)
                INCLUDE (genre, private_for, user_ref) WHERE tune_live;
            COMMENT ON TABLE %1$I IS %5$L;
            SELECT pg_catalog.pg_extension_config_dump(%1$L, '');
            $sql$,
            'sync_key_' || tab, 'sync_key_' || tab || '_genre_idx', 'sync_key_' || tab || '_private_idx',
            'sync_key_' || tab || '_time_idx',
            format('The key index of %s, kept by triggers once sync_enable_key_index() ran', tab));

        EXECUTE format($sql$
            CREATE FUNCTION %1$I() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $fn$
            BEGIN
                %3$s
                INSERT INTO @extschema@.%2$I
                SELECT %4$s FROM new_rows n LEFT JOIN @extschema@.tune t ON t.id = n.tune_ref;
                RETURN NULL;
            END
            $fn$
            $sql$,
            'sync_key_' || tab || '_inserted', 'sync_key_' || tab, format(lock_tunes, 'true'), key_values);

        -- An UPDATE that changes an id drops the old id's key and adds the new one.
        EXECUTE format($sql$
            CREATE FUNCTION %1$I() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $fn$
            BEGIN
                DELETE FROM @extschema@.%2$I k USING old_rows o
                WHERE k.id = o.id
                  AND NOT EXISTS (SELECT FROM new_rows n WHERE n.id = o.id AND %5$s);
                %3$s
                INSERT INTO @extschema@.%2$I
                SELECT %4$s FROM new_rows n LEFT JOIN @extschema@.tune t ON t.id = n.tune_ref
                WHERE NOT %5$s;
                RETURN NULL;
            END
            $fn$
            $sql$,
            'sync_key_' || tab || '_updated', 'sync_key_' || tab,
            format(lock_tunes, 'NOT ' || same_key), key_values, same_key);

        EXECUTE format($sql$
            CREATE FUNCTION %1$I() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $fn$
            BEGIN
                IF TG_OP = 'TRUNCATE' THEN
                    TRUNCATE @extschema@.%2$I;
                ELSE
                    DELETE FROM @extschema@.%2$I k USING old_rows o WHERE k.id = o.id;
                END IF;
                RETURN NULL;
            END
            $fn$
            $sql$,
            'sync_key_' || tab || '_deleted', 'sync_key_' || tab);
    END LOOP;
END
$key_index$;

-- A tune whose genre, privacy or deleted flag changes rewrites the keys of
-- its notes and references (found through their tune_ref indexes).
DO $tune_trigger$
DECLARE
    rewrite_keys constant text := $upd$
        UPDATE @extschema@.%1$I k
        SET genre = c.genre, private_for = c.private_for, tune_live = c.live
        FROM (SELECT n.id, CASE WHEN n.private_for IS NULL THEN n.genre END AS genre,
                     n.private_for, NOT n.deleted AS live
              FROM new_tunes n JOIN old_tunes o ON o.id = n.id
              WHERE (n.genre, n.private_for, n.deleted)
                    IS DISTINCT FROM (o.genre, o.private_for, o.deleted)) c
        JOIN @extschema@.%2$I r ON r.tune_ref = c.id
        WHERE k.id = r.id;$upd$;
BEGIN
    EXECUTE format($sql$
        CREATE FUNCTION sync_key_tune_updated() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $fn$
        BEGIN
            %1$s
            %2$s
            RETURN NULL;
        END
        $fn$
        $sql$,
        format(rewrite_keys, 'sync_key_note', 'note'),
        format(rewrite_keys, 'sync_key_reference', 'reference'));
END
$tune_trigger$;
