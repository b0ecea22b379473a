-- genre_sync install script, assembled from extension/sql/*.sql in name order.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION genre_sync" to load this file. \quit
-- The extension reads the app's tables in its own schema. Check they are all
-- there first, so a missing one is named plainly instead of surfacing as an
-- error from deep inside a function definition.
DO $check$
DECLARE
    -- table, column, type the functions compare it as
    required CONSTANT text[][] := ARRAY[
        ['genre', 'id', 'text'],
        ['user_profile', 'id', 'uuid'],
        ['tune', 'id', 'uuid'], ['tune', 'genre', 'text'], ['tune', 'private_for', 'uuid'],
        ['tune', 'deleted', 'boolean'], ['tune', 'last_modified_at', 'timestamp without time zone'],
        ['note', 'id', 'uuid'], ['note', 'tune_ref', 'uuid'], ['note', 'user_ref', 'uuid'],
        ['note', 'public', 'boolean'], ['note', 'deleted', 'boolean'],
        ['note', 'last_modified_at', 'timestamp without time zone'],
        ['reference', 'id', 'uuid'], ['reference', 'tune_ref', 'uuid'],
        ['reference', 'user_ref', 'uuid'], ['reference', 'public', 'boolean'],
        ['reference', 'deleted', 'boolean'],
        ['reference', 'last_modified_at', 'timestamp without time zone'],
        ['playlist', 'playlist_id', 'uuid'], ['playlist', 'user_ref', 'uuid'],
        ['playlist', 'genre_default', 'text'], ['playlist', 'deleted', 'boolean'],
        ['playlist_tune', 'playlist_ref', 'uuid'], ['playlist_tune', 'tune_ref', 'uuid'],
        ['playlist_tune', 'deleted', 'boolean'],
        ['user_genre_selection', 'user_id', 'uuid'], ['user_genre_selection', 'genre_id', 'text']];
    schema_name CONSTANT name := '@extschema@';
    i int;
    found_type text;
BEGIN
    FOR i IN 1 .. array_length(required, 1) LOOP
        IF to_regclass(format('%I.%I', schema_name, required[i][1])) IS NULL THEN
            RAISE EXCEPTION 'genre_sync requires table %.%', schema_name, required[i][1]
                USING ERRCODE = 'undefined_table',
                      HINT = 'Create the app schema before CREATE EXTENSION genre_sync.';
        END IF;
        SELECT atttypid::regtype::text INTO found_type
        FROM pg_catalog.pg_attribute
        WHERE attrelid = format('%I.%I', schema_name, required[i][1])::regclass
          AND attname = required[i][2] AND attnum > 0 AND NOT attisdropped;
        IF found_type IS NULL THEN
            RAISE EXCEPTION 'genre_sync requires column %.%.%',
                    schema_name, required[i][1], required[i][2]
                USING ERRCODE = 'undefined_column',
                      HINT = 'Create the app schema before CREATE EXTENSION genre_sync.';
        END IF;
        IF found_type <> required[i][3] THEN
            RAISE EXCEPTION 'genre_sync requires column %.%.% to be of type %, not %',
                    schema_name, required[i][1], required[i][2], required[i][3], found_type
                USING ERRCODE = 'datatype_mismatch';
        END IF;
    END LOOP;
END
$check$;
-- Genre discovery ------------------------------------------------------------

CREATE FUNCTION sync_get_playlist_tune_genres(p_user_id uuid)
RETURNS text[]
AS 'MODULE_PATHNAME', 'sync_get_playlist_tune_genres'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION sync_get_playlist_tune_genres(uuid) IS
'Sorted, distinct genres of the non-deleted tunes in the user''s non-deleted playlist_tune rows of non-deleted playlists';

CREATE FUNCTION sync_get_effective_genres(p_user_id uuid)
RETURNS text[]
AS 'MODULE_PATHNAME', 'sync_get_effective_genres'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION sync_get_effective_genres(uuid) IS
'Sorted, distinct union of the user''s selected genres, non-deleted playlist genre defaults and playlist tune genres: the genre filter of a sync';

-- Drop-in replacements of the seed's OFFSET RPCs -------------------------------

CREATE FUNCTION sync_get_user_notes(
    p_user_id uuid,
    p_genre_ids text[],
    p_after_timestamp timestamptz DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_offset integer DEFAULT 0)
RETURNS SETOF note
AS 'MODULE_PATHNAME', 'sync_get_user_notes'
LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 1000;

COMMENT ON FUNCTION sync_get_user_notes(uuid, text[], timestamptz, integer, integer) IS
'Drop-in for the seed''s OFFSET RPC: the user''s notes in the genres, ordered by (last_modified_at, id); prefer sync_notes_page';

CREATE FUNCTION sync_get_user_references(
    p_user_id uuid,
    p_genre_ids text[],
    p_after_timestamp timestamptz DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_offset integer DEFAULT 0)
RETURNS SETOF reference
AS 'MODULE_PATHNAME', 'sync_get_user_references'
LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 1000;

COMMENT ON FUNCTION sync_get_user_references(uuid, text[], timestamptz, integer, integer) IS
'Drop-in for the seed''s OFFSET RPC: the user''s references in the genres, ordered by (last_modified_at, id); prefer sync_references_page';

-- Keyset pages -----------------------------------------------------------------

CREATE FUNCTION sync_notes_page(
    p_user_id uuid,
    p_genre_ids text[],
    p_after_timestamp timestamptz DEFAULT NULL,
    p_after_id uuid DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_until_timestamp timestamptz DEFAULT NULL,
    p_until_id uuid DEFAULT NULL)
RETURNS SETOF note
AS 'MODULE_PATHNAME', 'sync_notes_page'
LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 1000;

COMMENT ON FUNCTION sync_notes_page(uuid, text[], timestamptz, uuid, integer, timestamptz, uuid) IS
'Keyset page of the user''s notes: rows after (p_after_timestamp, p_after_id) up to (p_until_timestamp, p_until_id), ordered by (last_modified_at, id); NULL p_genre_ids means the effective genres';

CREATE FUNCTION sync_references_page(
    p_user_id uuid,
    p_genre_ids text[],
    p_after_timestamp timestamptz DEFAULT NULL,
    p_after_id uuid DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_until_timestamp timestamptz DEFAULT NULL,
    p_until_id uuid DEFAULT NULL)
RETURNS SETOF reference
AS 'MODULE_PATHNAME', 'sync_references_page'
LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 1000;

COMMENT ON FUNCTION sync_references_page(uuid, text[], timestamptz, uuid, integer, timestamptz, uuid) IS
'Keyset page of the user''s references: rows after (p_after_timestamp, p_after_id) up to (p_until_timestamp, p_until_id), ordered by (last_modified_at, id); NULL p_genre_ids means the effective genres';

CREATE FUNCTION sync_tunes_page(
    p_user_id uuid,
    p_genre_ids text[],
    p_after_timestamp timestamptz DEFAULT NULL,
    p_after_id uuid DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_until_timestamp timestamptz DEFAULT NULL,
    p_until_id uuid DEFAULT NULL)
RETURNS SETOF tune
AS 'MODULE_PATHNAME', 'sync_tunes_page'
LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 1000;

COMMENT ON FUNCTION sync_tunes_page(uuid, text[], timestamptz, uuid, integer, timestamptz, uuid) IS
'Keyset page of the tunes the user syncs (genre filter or private to the user), ordered by (last_modified_at, id); deleted tunes only on incremental pages; NULL p_genre_ids means the effective genres';
-- Supporting indexes -----------------------------------------------------------
--
-- The set below was chosen from EXPLAIN (ANALYZE, BUFFERS) of every RPC (see
-- README, "Indexes"). An index counts as present when any index on the table
-- has the same structure, whatever its name, so an application that already
-- made one never gets a duplicate.

CREATE FUNCTION @extschema@.sync_required_indexes(
    OUT table_name text,
    OUT index_name text,
    OUT definition text,
    OUT purpose text,
    OUT present boolean,
    OUT valid boolean,
    OUT existing_index text,
    OUT size_bytes bigint,
    OUT scans bigint)
RETURNS SETOF record
LANGUAGE sql STABLE
AS $fn$
WITH spec(ord, table_name, key_columns, predicate, purpose) AS (
    VALUES
    (1, 'note', ARRAY['last_modified_at', 'id'], NULL::text,
     'note pages and OFFSET drop-in: ordered scan for ORDER BY (last_modified_at, id) LIMIT, keyset and incremental bounds as index conditions'),
    (2, 'reference', ARRAY['last_modified_at', 'id'], NULL,
     'reference pages and OFFSET drop-in: ordered scan for ORDER BY (last_modified_at, id) LIMIT, keyset and incremental bounds as index conditions'),
    (3, 'tune', ARRAY['last_modified_at', 'id'], NULL,
     'tune pages: ordered scan for ORDER BY (last_modified_at, id) LIMIT, keyset and incremental bounds as index conditions'),
    (4, 'tune', ARRAY['genre'], 'private_for IS NULL',
     'few-genre users: the public tunes of the requested genres (one arm of a BitmapOr over the genre filter)'),
    (5, 'tune', ARRAY['private_for'], 'private_for IS NOT NULL',
     'the user''s private tunes: the other arm of that BitmapOr; without it the OR forces a scan of all tunes'),
    (6, 'note', ARRAY['tune_ref'], NULL,
     'the note.tune_ref foreign key: deleting a tune checks its notes by tune_ref instead of scanning note'),
    (7, 'reference', ARRAY['tune_ref'], NULL,
     'the reference.tune_ref foreign key: deleting a tune checks its references by tune_ref instead of scanning reference'),
    (8, 'playlist', ARRAY['user_ref'], NULL,
     'genre discovery (sync_get_effective_genres, sync_get_playlist_tune_genres): a user''s playlists')
),
target AS (
    SELECT s.ord, s.table_name, s.predicate, s.purpose, c.oid AS relid, n.nspname,
           'genre_sync_' || s.table_name || '_' || array_to_string(s.key_columns, '_') || '_idx' AS index_name,
           (SELECT string_agg(quote_ident(k.col), ', ' ORDER BY k.pos)
              FROM unnest(s.key_columns) WITH ORDINALITY AS k(col, pos)) AS column_list,
           ARRAY(SELECT a.attnum
                   FROM unnest(s.key_columns) WITH ORDINALITY AS k(col, pos)
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = k.col
                  ORDER BY k.pos) AS attnums,
           -- Only the default btree operator class and the column's own
           -- collation serve the functions' comparisons.
           ARRAY(SELECT oc.oid
                   FROM unnest(s.key_columns) WITH ORDINALITY AS k(col, pos)
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = k.col
                   JOIN pg_catalog.pg_opclass oc ON oc.opcmethod = (SELECT am.oid FROM pg_catalog.pg_am am WHERE am.amname = 'btree')
                        AND oc.opcintype = a.atttypid AND oc.opcdefault
                  ORDER BY k.pos) AS opclasses,
           ARRAY(SELECT a.attcollation
                   FROM unnest(s.key_columns) WITH ORDINALITY AS k(col, pos)
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = k.col
                  ORDER BY k.pos) AS collations
    FROM spec s
    JOIN pg_catalog.pg_extension e ON e.extname = 'genre_sync'
    JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
    JOIN pg_catalog.pg_class c ON c.relnamespace = e.extnamespace AND c.relname = s.table_name
)
SELECT t.table_name,
       t.index_name,
       format('CREATE INDEX %I ON %I.%I USING btree (%s)%s', t.index_name, t.nspname, t.table_name,
              t.column_list, ' WHERE (' || t.predicate || ')'),
       t.purpose,
       m.indexrelid IS NOT NULL,
       coalesce(m.usable, false),
       m.indexrelid::regclass::text,
       pg_catalog.pg_relation_size(m.indexrelid),
       st.idx_scan
FROM target t
LEFT JOIN LATERAL (
    SELECT i.indexrelid, i.indisvalid AND i.indisready AS usable
    FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
    WHERE i.indrelid = t.relid
      AND ic.relam = (SELECT am.oid FROM pg_catalog.pg_am am WHERE am.amname = 'btree')
      AND i.indnkeyatts = cardinality(t.attnums)
      AND i.indexprs IS NULL
      AND (SELECT array_agg(i.indkey[p] ORDER BY p)
             FROM generate_series(0, i.indnkeyatts - 1) p) = t.attnums
      AND (SELECT array_agg(i.indclass[p] ORDER BY p)
             FROM generate_series(0, i.indnkeyatts - 1) p) = t.opclasses
      AND (SELECT array_agg(i.indcollation[p] ORDER BY p)
             FROM generate_series(0, i.indnkeyatts - 1) p) = t.collations
      -- ASC NULLS LAST on every key: the order the functions scan in.
      AND (SELECT bool_and(i.indoption[p] = 0)
             FROM generate_series(0, i.indnkeyatts - 1) p)
      -- Compare predicates as PostgreSQL deparses them, so spelling and
      -- parentheses in the other index's CREATE statement do not matter.
      AND pg_catalog.pg_get_expr(i.indpred, i.indrelid) IS NOT DISTINCT FROM '(' || t.predicate || ')'
    ORDER BY (i.indisvalid AND i.indisready) DESC, (ic.relname = t.index_name) DESC, ic.relname
    LIMIT 1
) m ON true
LEFT JOIN pg_catalog.pg_stat_all_indexes st ON st.indexrelid = m.indexrelid
ORDER BY t.ord
$fn$;

COMMENT ON FUNCTION @extschema@.sync_required_indexes() IS
'The indexes the sync functions rely on: one row each with its CREATE INDEX definition, the queries it serves, whether an equivalent index (any name) is present and valid, its size in bytes and its scans since the statistics reset';

CREATE FUNCTION @extschema@.sync_create_indexes(
    OUT table_name text,
    OUT index_name text,
    OUT definition text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE
AS $fn$
#variable_conflict use_column
DECLARE
    req record;
    leftover regclass;
BEGIN
    -- Refuse up front rather than half-way through the set.
    FOR req IN
        SELECT DISTINCT c.relname
        FROM @extschema@.sync_required_indexes() q
        JOIN pg_catalog.pg_class c
          ON c.relname = q.table_name
         AND c.relnamespace = (SELECT e.extnamespace FROM pg_catalog.pg_extension e
                               WHERE e.extname = 'genre_sync')
        WHERE NOT pg_catalog.pg_has_role(c.relowner, 'USAGE')
        ORDER BY c.relname
    LOOP
        RAISE EXCEPTION 'sync_create_indexes requires ownership of table %', req.relname
            USING ERRCODE = 'insufficient_privilege';
    END LOOP;

    -- Two sessions creating the set at once would both see an index missing
    -- and the second would fail on the name; the second waits here instead
    -- and then finds it present.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('genre_sync.sync_create_indexes'));

    FOR req IN
        SELECT q.table_name, q.index_name, q.definition
        FROM @extschema@.sync_required_indexes() q
        WHERE NOT q.valid
    LOOP
        -- A failed CREATE INDEX CONCURRENTLY leaves an invalid index under
        -- our name; it holds the name, so it goes before the rebuild.
        SELECT i.indexrelid::regclass INTO leftover
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        WHERE ic.relname = req.index_name
          AND ic.relnamespace = (SELECT e.extnamespace FROM pg_catalog.pg_extension e
                                 WHERE e.extname = 'genre_sync')
          AND NOT (i.indisvalid AND i.indisready);
        IF leftover IS NOT NULL THEN
            EXECUTE format('DROP INDEX %s', leftover);
        END IF;
        EXECUTE req.definition;
        table_name := req.table_name;
        index_name := req.index_name;
        definition := req.definition;
        RETURN NEXT;
    END LOOP;
END
$fn$;

COMMENT ON FUNCTION @extschema@.sync_create_indexes() IS
'Creates the missing or invalid indexes of sync_required_indexes() in the current transaction (not CONCURRENTLY: use genre-sync-indexer on a live database) and returns the ones it created; requires ownership of the tables';
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
-- genre_sync 1.0 -> 1.1: no missed rows (safe horizon, exact cursors, the
-- page envelope, range checksums). Assembled from extension/sql/1.0--1.1/.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION genre_sync UPDATE TO '1.1'" to load this file. \quit
-- The horizon a primary publishes for its standbys, which cannot see the
-- primary's running transactions. One row; replicated like any table.
CREATE TABLE sync_horizon_publication (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    horizon      timestamp NOT NULL,
    published_at timestamptz NOT NULL
);

COMMENT ON TABLE sync_horizon_publication IS
'The safe horizon last published by sync_publish_horizon() on the primary; standbys read it';

CREATE FUNCTION sync_safe_horizon()
RETURNS timestamp
AS 'MODULE_PATHNAME', 'sync_safe_horizon'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION sync_safe_horizon() IS
'Newest last_modified_at a client may keep as its cursor: no running transaction can still commit a row stamped at or before it; NULL when unknown';

CREATE FUNCTION sync_publish_horizon()
RETURNS timestamp
AS 'MODULE_PATHNAME', 'sync_publish_horizon'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION sync_publish_horizon() IS
'On the primary: records the current safe horizon in sync_horizon_publication for standbys; call it on a schedule';
CREATE FUNCTION sync_pull(
    p_table text,
    p_user_id uuid,
    p_genre_ids text[] DEFAULT NULL,
    p_cursor text DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_until text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sync_pull'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION sync_pull(text, uuid, text[], text, integer, text) IS
'One page for a worker as jsonb: rows after p_cursor up to p_until and below the safe horizon, next_cursor, has_more, the horizon, the genres and their hash';

CREATE FUNCTION sync_range_checksum(
    p_table text,
    p_user_id uuid,
    p_genre_ids text[],
    p_after text,
    p_until text,
    OUT row_count bigint,
    OUT checksum text)
RETURNS record
AS 'MODULE_PATHNAME', 'sync_range_checksum'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION sync_range_checksum(text, uuid, text[], text, text) IS
'Count and order-independent checksum of the rows in the cursor range (p_after, p_until]: sum of the first 64 bits of md5(id:unix_micros) mod 2^64, in hex';
CREATE FUNCTION sync_partition_bounds(
    p_table text,
    p_user_id uuid,
    p_genre_ids text[],
    p_parts integer,
    p_after_timestamp timestamptz DEFAULT NULL)
RETURNS TABLE (
    part integer,
    after_timestamp timestamptz,
    after_id uuid,
    until_timestamp timestamptz,
    until_id uuid,
    after_cursor text,
    until_cursor text,
    estimated_rows bigint)
AS 'MODULE_PATHNAME', 'sync_partition_bounds'
LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 8;

COMMENT ON FUNCTION sync_partition_bounds(text, uuid, text[], integer, timestamptz) IS
'p_parts contiguous (after, until] key ranges of about equal row count over the user''s rows, for fetching them over several connections; the last range is open-ended';
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
-- genre_sync 1.1 -> 1.2: the key index, side tables kept by triggers that
-- let a page read only the user's genres in key order. Assembled from
-- extension/sql/1.1--1.2/.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION genre_sync UPDATE TO '1.2'" to load this file. \quit
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
