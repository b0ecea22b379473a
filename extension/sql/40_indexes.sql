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
