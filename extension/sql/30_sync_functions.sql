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
