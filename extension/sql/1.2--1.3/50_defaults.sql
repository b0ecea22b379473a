-- Defaults for every optional argument ------------------------------------------
--
-- An RPC gateway (PostgREST's POST /rpc/<name> with a JSON body, or GET with a
-- query string) calls a function with named arguments and can leave out only
-- those with a DEFAULT. Each default below means exactly what NULL means, so a
-- call that leaves an argument out and one that passes NULL get the same rows.
-- CREATE OR REPLACE keeps each function's oid, privileges and comment, and
-- positional calls keep working: the parameters, their order and the result
-- types are those of 1.0 and 1.1.
--
-- The drop-ins (sync_get_user_notes, sync_get_user_references) keep the seed's
-- signature exactly: there NULL p_genre_ids means "no genre", not "the
-- effective genres", and a default would invite leaving out what the seed's
-- callers always pass.

CREATE OR REPLACE FUNCTION sync_notes_page(
    p_user_id uuid,
    p_genre_ids text[] DEFAULT NULL,
    p_after_timestamp timestamptz DEFAULT NULL,
    p_after_id uuid DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_until_timestamp timestamptz DEFAULT NULL,
    p_until_id uuid DEFAULT NULL)
RETURNS SETOF note
AS 'MODULE_PATHNAME', 'sync_notes_page'
LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 1000;

CREATE OR REPLACE FUNCTION sync_references_page(
    p_user_id uuid,
    p_genre_ids text[] DEFAULT NULL,
    p_after_timestamp timestamptz DEFAULT NULL,
    p_after_id uuid DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_until_timestamp timestamptz DEFAULT NULL,
    p_until_id uuid DEFAULT NULL)
RETURNS SETOF reference
AS 'MODULE_PATHNAME', 'sync_references_page'
LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 1000;

CREATE OR REPLACE FUNCTION sync_tunes_page(
    p_user_id uuid,
    p_genre_ids text[] DEFAULT NULL,
    p_after_timestamp timestamptz DEFAULT NULL,
    p_after_id uuid DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_until_timestamp timestamptz DEFAULT NULL,
    p_until_id uuid DEFAULT NULL)
RETURNS SETOF tune
AS 'MODULE_PATHNAME', 'sync_tunes_page'
LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 1000;

-- NULL p_after: from the first row; NULL p_until: to the last.
CREATE OR REPLACE FUNCTION sync_range_checksum(
    p_table text,
    p_user_id uuid,
    p_genre_ids text[] DEFAULT NULL,
    p_after text DEFAULT NULL,
    p_until text DEFAULT NULL,
    OUT row_count bigint,
    OUT checksum text)
RETURNS record
AS 'MODULE_PATHNAME', 'sync_range_checksum'
LANGUAGE C STABLE PARALLEL RESTRICTED;

-- p_genre_ids stands before p_parts, which 1.1 required; a default for the
-- one needs one for the other. p_parts NULL, or left out, now means 4 parts
-- (gs::default_parts in extension/core/partition_plan.hpp) as p_limit NULL
-- means 1000; before 1.3 NULL was an error. An overload without p_genre_ids
-- was the other way, but PostgREST picks among functions of one name by the
-- argument names a request gives, and a request that leaves p_genre_ids out
-- would match both (it answers PGRST203).
CREATE OR REPLACE FUNCTION sync_partition_bounds(
    p_table text,
    p_user_id uuid,
    p_genre_ids text[] DEFAULT NULL,
    p_parts integer DEFAULT 4,
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
'p_parts (default 4) contiguous (after, until] key ranges of about equal row count over the user''s rows, for fetching them over several connections; the last range is open-ended';
