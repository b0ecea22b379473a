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
