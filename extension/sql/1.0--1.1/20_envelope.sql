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
