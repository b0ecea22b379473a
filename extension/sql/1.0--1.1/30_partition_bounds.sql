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
