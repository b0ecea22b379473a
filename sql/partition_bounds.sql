-- sync_partition_bounds (1.1): contiguous ranges that, fetched with the page
-- functions or sync_pull, give every row exactly once.
SET DateStyle = 'ISO, YMD';

-- A part fetched with the page functions (timestamptz bounds) or with
-- sync_pull (cursors); rows as '<id>@<last_modified_at>' in order.
CREATE FUNCTION pg_temp.fetch_part(p_table text, p_user uuid, b record, p_with_cursors boolean)
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    v_rows text[] := '{}';
    v_page text[];
    v_ts timestamptz := b.after_timestamp;
    v_id uuid := b.after_id;
    v_cursor text := b.after_cursor;
    v_env jsonb;
BEGIN
    LOOP
        IF p_with_cursors THEN
            v_env := sync_pull(p_table, p_user, NULL, v_cursor, 20, b.until_cursor);
            v_page := ARRAY(SELECT (r->>'id') || '@' || (r->>'last_modified_at')::timestamp
                            FROM jsonb_array_elements(v_env->'rows') r);
            v_cursor := v_env->>'next_cursor';
        ELSE
            EXECUTE format('SELECT array_agg(id || ''@'' || last_modified_at ORDER BY last_modified_at, id),
                                   max(last_modified_at), (array_agg(id ORDER BY last_modified_at DESC, id DESC))[1]
                            FROM sync_%s_page($1, NULL, $2, $3, 20, $4, $5)', p_table || 's')
                INTO v_page, v_ts, v_id
                USING p_user, v_ts, v_id, b.until_timestamp, b.until_id;
            v_page := coalesce(v_page, '{}');
        END IF;
        v_rows := v_rows || v_page;
        EXIT WHEN cardinality(v_page) < 20;
    END LOOP;
    RETURN v_rows;
END
$$;

CREATE FUNCTION pg_temp.all_rows(p_table text, p_user uuid, p_after timestamptz) RETURNS text[]
LANGUAGE sql AS $$
    SELECT ARRAY(SELECT id || '@' || last_modified_at FROM (
        SELECT id, last_modified_at FROM seed.sync_get_user_notes(p_user, seed.effective_genres(p_user), p_after, 1000000, 0)
        WHERE p_table = 'note'
        UNION ALL
        SELECT id, last_modified_at FROM seed.sync_get_user_references(p_user, seed.effective_genres(p_user), p_after, 1000000, 0)
        WHERE p_table = 'reference') r ORDER BY last_modified_at, id)
$$;

-- All parts of one call, fetched one after the other, concatenated.
CREATE FUNCTION pg_temp.fetch_all(p_table text, p_user uuid, p_parts int, p_after timestamptz,
                                  p_with_cursors boolean)
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    b record;
    v_rows text[] := '{}';
BEGIN
    FOR b IN SELECT * FROM sync_partition_bounds(p_table, p_user, NULL, p_parts, p_after) ORDER BY part LOOP
        v_rows := v_rows || pg_temp.fetch_part(p_table, p_user, b, p_with_cursors);
    END LOOP;
    RETURN v_rows;
END
$$;

-- Every user, both tables, 1, 3 and 8 parts, from the start and after a
-- timestamp: the parts together give every row exactly once and in order,
-- by either way of fetching; the last part is open-ended and part sizes are
-- within one of each other. fetch_part passes each page's last timestamp
-- back as it reads it, so the session's TimeZone must be the stamp zone
-- (UTC) for it to name the row's instant; cursors need no TimeZone
-- (page_timezone fetches the parts from other TimeZones).
SET TimeZone = 'UTC';
SELECT tbl, parts, after_ts IS NOT NULL AS incremental, count(*) AS users,
       count(*) FILTER (WHERE pg_temp.fetch_all(tbl, u, parts, after_ts, false) = expected) AS pages_exact,
       count(*) FILTER (WHERE pg_temp.fetch_all(tbl, u, parts, after_ts, true) = expected) AS cursors_exact,
       count(*) FILTER (WHERE shape.max_est - shape.min_est <= 1 AND shape.total = cardinality(expected)) AS balanced,
       count(*) FILTER (WHERE shape.last_open AND shape.n = parts) AS shaped
FROM (VALUES ('note'), ('reference')) t(tbl),
     (VALUES (1), (3), (8)) p(parts),
     (VALUES (NULL::timestamptz), ('2024-05-01 00:00:00+00')) a(after_ts),
     LATERAL (SELECT regress.u(k) AS u FROM generate_series(1, 8) k) users,
     LATERAL (SELECT pg_temp.all_rows(tbl, users.u, a.after_ts) AS expected) e,
     LATERAL (SELECT max(b.estimated_rows) AS max_est, min(b.estimated_rows) AS min_est,
                     sum(b.estimated_rows) AS total,
                     bool_and((b.until_cursor IS NULL) = (b.part = p.parts)) AS last_open,
                     count(*) AS n
              FROM sync_partition_bounds(tbl, users.u, NULL, p.parts, a.after_ts) b) shape
GROUP BY tbl, parts, incremental
ORDER BY tbl, parts, incremental;

-- Cursors are exact in any TimeZone, next to daylight-saving gaps too.
SET TimeZone = 'America/New_York';
SELECT tbl, count(*) FILTER (WHERE pg_temp.fetch_all(tbl, u, 4, NULL, true) = pg_temp.all_rows(tbl, u, NULL)) AS cursors_exact
FROM (VALUES ('note'), ('reference')) t(tbl), LATERAL (SELECT regress.u(k) AS u FROM generate_series(1, 8) k) users
GROUP BY tbl ORDER BY tbl;
RESET TimeZone;

-- One call's ranges, in full: contiguous, and empty ones before the last
-- when there are fewer rows than parts. after_cursor is a v2 cursor: the
-- part's start, a first sync's flag and the genres (its moves stamp is the
-- horizon's, left out here).
-- Checked against the seed's rows in key order, not against golden cursors:
-- ntile's cut after row ceil(k * n / parts) of the n rows (sizes within one
-- of each other, larger first), each part's estimate its exact count, the
-- cursor's genres the user's effective genres. (Seen to fail: with the
-- oracle's ceil made floor, both cuts and two of the three estimates
-- were reported wrong.)
WITH keys AS (
    SELECT row_number() OVER (ORDER BY last_modified_at, id) AS n,
           'v1:' || (extract(epoch FROM last_modified_at) * 1000000)::bigint || ':' || id AS position
    FROM seed.sync_get_user_notes(regress.u(6), seed.effective_genres(regress.u(6)), NULL, NULL, 0)
), total AS (SELECT count(*) AS n FROM keys)
SELECT b.part, split_part(b.after_cursor, '/', 1) AS version, split_part(b.after_cursor, '/', 4) AS flags,
       split_part(b.after_cursor, '/', 5)
         = (SELECT string_agg(g || ',', '' ORDER BY g COLLATE "C") FROM unnest(seed.effective_genres(regress.u(6))) g)
         AS genres_effective,
       b.until_cursor IS NOT DISTINCT FROM
         (SELECT position FROM keys, total WHERE keys.n = ceil(b.part * total.n::numeric / 3) AND b.part < 3)
         AS cut_as_ntile,
       b.estimated_rows = ceil(b.part * total.n::numeric / 3) - ceil((b.part - 1) * total.n::numeric / 3)
         AS estimate_exact,
       b.part = 1 OR split_part(b.after_cursor, '/', 2)
                     = substr(lag(b.until_cursor) OVER (ORDER BY b.part), 4) AS starts_at_previous_cut
FROM sync_partition_bounds('note', regress.u(6), NULL, 3, NULL) b, total
ORDER BY b.part;
SELECT part, after_timestamp IS NULL AS from_start, until_cursor, estimated_rows
FROM sync_partition_bounds('note', regress.u(9), '{}', 3, NULL);

-- A table of more than four samples (3,000 rows for up to 7 parts) is
-- sampled: the ranges still give every row exactly once, the estimates come
-- from the sample, and the parts hold about equal numbers of rows. Users
-- with few rows in the sample are read whole.
BEGIN;
INSERT INTO reference (id, url, tune_ref, user_ref, public, deleted, last_modified_at)
SELECT md5('extra' || r.id || i)::uuid, r.url, r.tune_ref, r.user_ref, r.public, r.deleted,
       r.last_modified_at + i * interval '1 microsecond'
FROM reference r, generate_series(1, 40) i;
ANALYZE reference;
SELECT reltuples >= 12000 AS sampled FROM pg_class WHERE oid = 'reference'::regclass;
SET LOCAL TimeZone = 'UTC';
SELECT count(*) FILTER (WHERE pg_temp.fetch_all('reference', u, 4, NULL, true)
                              = pg_temp.all_rows('reference', u, NULL)) AS sampled_exact,
       count(*) AS users
FROM (SELECT regress.u(k) AS u FROM generate_series(1, 8) k) users;
SELECT sum(estimated_rows) <> cardinality(pg_temp.all_rows('reference', regress.u(8), NULL)) AS estimated,
       abs(sum(estimated_rows) - cardinality(pg_temp.all_rows('reference', regress.u(8), NULL)))
         < 0.25 * cardinality(pg_temp.all_rows('reference', regress.u(8), NULL)) AS within_25_percent,
       max(estimated_rows)::numeric / min(estimated_rows) < 1.1 AS balanced
FROM sync_partition_bounds('reference', regress.u(8), NULL, 4, NULL);
SELECT max(c.row_count)::numeric / min(c.row_count) < 1.3 AS rows_balanced,
       sum(c.row_count) = cardinality(pg_temp.all_rows('reference', regress.u(8), NULL)) AS rows_covered
FROM sync_partition_bounds('reference', regress.u(8), NULL, 4, NULL) b,
     LATERAL sync_range_checksum('reference', regress.u(8), NULL, b.after_cursor, b.until_cursor) c;
SELECT sum(estimated_rows) = cardinality(pg_temp.all_rows('reference', regress.u(4), NULL)) AS few_read_whole
FROM sync_partition_bounds('reference', regress.u(4), NULL, 4, NULL);
ROLLBACK;

-- Bad input; NULL p_parts means the default, 4 parts, since 1.3.
SELECT regress.outcome(format('SELECT count(*) FROM sync_partition_bounds(%L, %L, NULL, %s)', t, regress.u(1), n))
FROM (VALUES ('note', '0'), ('note', '-1'), ('note', '1025'), ('note', 'NULL'), ('tunes', '2'),
             ('note', '1024')) AS c(t, n);
SELECT regress.outcome(format('SELECT count(*) FROM sync_partition_bounds(NULL, %L, NULL, 2)', regress.u(1)));
SELECT regress.outcome('SELECT count(*) FROM sync_partition_bounds(''note'', NULL, NULL, 2)');
SELECT regress.outcome(format('SELECT count(*) FROM sync_partition_bounds(%L, %L, %L, 2)', 'note', regress.u(1), '{{a}}'));

-- Rows a running transaction may still commit lie past the horizon (here:
-- rows stamped an hour ahead): the bounds cut only below it, so every part
-- but the last ends before the horizon and is fetched whole, and the last
-- part, open-ended, holds the rest; its cursor is the one a worker keeps.
-- Seen to fail with the bounds cut over every row (1.2): only part 1 ended
-- below the horizon; parts 2 and 3 ended past it, so the last part's cursor
-- would have skipped their rows once they committed.
BEGIN;
UPDATE note SET last_modified_at = now() AT TIME ZONE 'UTC' + interval '1 hour'
WHERE id IN (SELECT id FROM seed.sync_get_user_notes(regress.u(8), seed.effective_genres(regress.u(8)), NULL, 1000000, 0)
             ORDER BY id LIMIT (SELECT count(*) * 0.6 FROM seed.sync_get_user_notes(
                                   regress.u(8), seed.effective_genres(regress.u(8)), NULL, 1000000, 0)));
SELECT count(*) AS parts,
       count(*) FILTER (WHERE b.until_cursor IS NOT NULL
                          AND split_part(b.until_cursor, ':', 2)::bigint
                              < (extract(epoch FROM sync_safe_horizon()) * 1000000)::bigint) AS parts_below_horizon,
       sum(cardinality(pg_temp.fetch_part('note', regress.u(8), b, true)))
         = (SELECT count(*) FROM seed.sync_get_user_notes(regress.u(8), seed.effective_genres(regress.u(8)), NULL, 1000000, 0)
            WHERE last_modified_at < sync_safe_horizon()) AS parts_deliver_all_below_horizon
FROM sync_partition_bounds('note', regress.u(8), NULL, 4) b;
ROLLBACK;
