-- The keyset page functions and sync_partition_bounds take their timestamptz
-- arguments as instants and compare them with last_modified_at in
-- genre_sync.stamp_time_zone, never in the session's TimeZone (README,
-- Arguments); the drop-ins keep the seed's session-TimeZone comparison
-- (dropin_timezone). Walks with one-row pages, as a client pages, over rows
-- next to spring-forward gaps and repeated hours, compared with the rows the
-- seed's SQL selects (computed under UTC, with no timestamp argument):
--   * stamp zone UTC, sessions in Europe/Berlin and America/New_York, the
--     client passing back each last row's instant (last_modified_at AT TIME
--     ZONE the stamp zone): no row lost, none twice, in key order;
--   * the session's TimeZone equal to the stamp zone (Europe/Berlin, and
--     America/New_York), the client passing back last_modified_at as it read
--     it (the session reads it as its own wall clock): the same, over values
--     that zone's now() can stamp (none in its own spring-forward gap).
-- Partition bounds are fetched the same way under both DST zones.
--
-- Seen to fail, twice:
--   * keyset_page (extension/backend/sync_rows.cpp) binding its arguments as
--     before this test (BoundType::timestamptz, unconverted: the column meets
--     them under the session TimeZone): the instant-passing walks lost rows
--     in Berlin (84 notes, 63 references, 35 tunes; the same through the key
--     index) and did not end in New York (stuck on their first row until the
--     page budget ran out); the bounds' parts lost rows; the walks of
--     sessions in the stamp zone still passed, as they should (the old
--     comparison is right there); and the walks passing values back as read
--     from another zone lost only the few rows next to the gaps (4 notes, 2
--     references, 4 tunes from Berlin), the loss this rule replaced.
--   * partition_bounds.cpp returning its cut keys as instants of the session
--     TimeZone (timestamp_timestamptz) instead of the stamp zone: bounds_off
--     54 for each zone and table. The parts fetched still tiled every row:
--     each cut moved by the same offset on both sides; only bounds_off saw it.
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
BEGIN;

-- Rows next to Berlin's transitions of 2024 (the fixture holds New York's):
-- as UTC stamps, wall clock inside Berlin's spring-forward gap (2024-03-31
-- 02:00 to 03:00, which is 01:00Z to 02:00Z) and around it, a tie inside
-- it, and Berlin's repeated hour (2024-10-27 02:00 to 03:00). System rows of
-- public tunes of user 8's genres, and public tunes.
CREATE TEMP TABLE berlin_stamp (k int, ts timestamp);
INSERT INTO berlin_stamp VALUES
    (1, '2024-03-31 00:59:59.999999'), (2, '2024-03-31 01:00:00'), (3, '2024-03-31 01:59:59.999999'),
    (4, '2024-03-31 02:00:00'), (5, '2024-03-31 02:30:00'), (6, '2024-03-31 02:30:00'),
    (7, '2024-03-31 02:59:59.999999'), (8, '2024-03-31 03:00:00'), (9, '2024-03-31 03:15:00'),
    (10, '2024-10-27 01:59:59.999999'), (11, '2024-10-27 02:00:00'), (12, '2024-10-27 02:30:00'),
    (13, '2024-10-27 02:59:59.999999'), (14, '2024-10-27 03:00:00');
INSERT INTO note (id, user_ref, tune_ref, note_text, last_modified_at)
SELECT md5('berlin note' || k)::uuid, NULL, regress.tune(3), 'berlin note ' || k, ts FROM berlin_stamp;
INSERT INTO reference (id, url, user_ref, tune_ref, title, last_modified_at)
SELECT md5('berlin reference' || k)::uuid, 'https://example.org/berlin/' || k, NULL, regress.tune(4),
       'berlin reference ' || k, ts
FROM berlin_stamp;
INSERT INTO tune (id, title, genre, last_modified_at)
SELECT md5('berlin tune' || k)::uuid, 'berlin tune ' || k, 'scottish', ts FROM berlin_stamp;

-- Walks a page function with one-row pages from the start until a page is
-- empty or p_max_pages pages came back. The client passes back the last
-- row's key: its instant in the stamp zone, or last_modified_at as read.
CREATE FUNCTION pg_temp.walk(p_table text, p_user uuid, p_pass_instants boolean, p_max_pages int,
                             OUT walked text[], OUT pages int, OUT ended boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_ts timestamptz;
    v_id uuid;
    v_page record;
BEGIN
    walked := '{}';
    pages := 0;
    ended := false;
    LOOP
        SELECT * INTO v_page FROM regress.page_rows(p_table, p_user, NULL, v_ts, v_id, 1, NULL, NULL);
        IF cardinality(v_page.rows) = 0 THEN
            ended := true;
            EXIT;
        END IF;
        pages := pages + 1;
        walked := walked || v_page.rows;
        EXIT WHEN pages >= p_max_pages;
        v_ts := CASE WHEN p_pass_instants
                     THEN v_page.last_ts AT TIME ZONE current_setting('genre_sync.stamp_time_zone')
                     ELSE v_page.last_ts END;
        v_id := v_page.last_id;
    END LOOP;
END
$$;

-- The reference: every row the seed's SQL selects for the user's effective
-- genres, in key order (a tunes walk from scratch is a first sync for its
-- first page only), computed under UTC.
CREATE TEMP TABLE tz_expected (tbl text, user_k int, user_id uuid, expected text[]);
CREATE FUNCTION pg_temp.expect() RETURNS void LANGUAGE sql AS $$
    DELETE FROM tz_expected;
    INSERT INTO tz_expected
    SELECT t.tbl, u.k, u.id, regress.expected_walk(t.tbl, u.id, NULL, 1)
    FROM (VALUES ('notes'), ('references'), ('tunes')) AS t(tbl)
    CROSS JOIN regress.users u WHERE u.k IN (1, 8)
$$;
SELECT pg_temp.expect();

CREATE TEMP TABLE tz_walk (stamp_zone text, session_zone text, passes text, tbl text, user_k int,
                           walked text[], pages int, ended boolean, expected text[]);

-- What one zone case walks; a walk gets twice the pages it needs.
CREATE FUNCTION pg_temp.walk_case(p_passes text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO tz_walk
    SELECT current_setting('genre_sync.stamp_time_zone'), current_setting('TimeZone'), p_passes,
           e.tbl, e.user_k, w.walked, w.pages, w.ended, e.expected
    FROM tz_expected e,
         LATERAL pg_temp.walk(e.tbl, e.user_id, p_passes LIKE 'instants%',
                              2 * cardinality(e.expected) + 2) AS w
$$;

SET LOCAL TimeZone = 'Europe/Berlin';
SELECT pg_temp.walk_case('instants');
SET LOCAL TimeZone = 'America/New_York';
SELECT pg_temp.walk_case('instants');

-- The same through the key index (1.2): user 1's three genres are read by
-- genre, user 8's twelve by time.
SELECT count(*) AS key_tables FROM sync_enable_key_index();
SET LOCAL TimeZone = 'Europe/Berlin';
SELECT pg_temp.walk_case('instants, key index');
SET LOCAL TimeZone = 'America/New_York';
SELECT pg_temp.walk_case('instants, key index');
SELECT sync_disable_key_index();

-- What the rule does not cover: sessions in another zone than the stamp zone
-- passing last_modified_at back as read. Shown after the verdict.
SET LOCAL TimeZone = 'Europe/Berlin';
SELECT pg_temp.walk_case('as read');
SET LOCAL TimeZone = 'America/New_York';
SELECT pg_temp.walk_case('as read');

-- One walk next to Berlin's gap, under Berlin: what the client passes back
-- is the row's instant, which Berlin shows an hour or two later.
SET LOCAL TimeZone = 'Europe/Berlin';
WITH RECURSIVE step AS (
    SELECT 1 AS n, p.last_ts, p.last_id
    FROM regress.page_rows('notes', regress.u(8), NULL, '2024-03-31 00:00:00+00', NULL, 1, NULL, NULL) AS p
    UNION ALL
    SELECT s.n + 1, p.last_ts, p.last_id
    FROM step s,
         LATERAL regress.page_rows('notes', regress.u(8), NULL, s.last_ts AT TIME ZONE 'UTC', s.last_id,
                                   1, NULL, NULL) AS p
    WHERE s.n < 10 AND p.last_ts IS NOT NULL
)
SELECT n AS page, last_ts AS last_modified_at, last_ts AT TIME ZONE 'UTC' AS passed_back
FROM step ORDER BY n;

-- Not covered, one page of it: passed back as read under Berlin, 02:30:00
-- (in Berlin's gap) names 01:30Z, an hour before the row's instant, so the
-- next page starts before the row the client just had.
SELECT p.note_text, p.last_modified_at
FROM sync_notes_page(regress.u(8), NULL, timestamp '2024-03-31 02:30:00', md5('berlin note5')::uuid, 3) AS p;
-- And a value inside the stamp zone's own gap, which its now() never stamps,
-- has no instant of its own there: passed back as read it skips the rest of
-- the gap hour (New York reads 02:30 as 03:30 EDT).
SAVEPOINT own_gap;
SET LOCAL genre_sync.stamp_time_zone = 'America/New_York';
SET LOCAL TimeZone = 'America/New_York';
SELECT p.note_text, p.last_modified_at
FROM sync_notes_page(regress.u(8), NULL, timestamp '2024-03-10 02:30:00.25', md5('note302')::uuid, 3) AS p;
ROLLBACK TO SAVEPOINT own_gap;

-- The drop-ins keep the seed's comparison under the session TimeZone: the
-- same instant selects other rows there (02:30:00.25 and 02:59:59.999999 are
-- in New York's gap and read as 07:30Z and 07:59Z, after 07:20Z).
SET LOCAL TimeZone = 'America/New_York';
SELECT 'page' AS via, p.note_text, p.last_modified_at
FROM sync_notes_page(regress.u(8), NULL, '2024-03-10 07:20:00+00', NULL, 2) AS p
UNION ALL
SELECT 'drop-in', d.note_text, d.last_modified_at
FROM sync_get_user_notes(regress.u(8), regress.genres_for('all', regress.u(8)), '2024-03-10 07:20:00+00', 2) AS d;

-- Partition bounds under both DST zones, stamp zone UTC: p_after_timestamp
-- is an instant, the returned timestamps are the cut keys' instants in the
-- stamp zone (until_timestamp is until_cursor's wall clock there; each part
-- starts at the previous part's until, the first at p_after_timestamp), and
-- the parts fetched with the page functions by one-row pages, passing
-- instants back, give every row after p_after_timestamp once, in order.
CREATE FUNCTION pg_temp.fetch_part(p_table text, p_user uuid, b record) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    v_rows text[] := '{}';
    v_ts timestamptz := b.after_timestamp;
    v_id uuid := b.after_id;
    v_page record;
BEGIN
    LOOP
        EXECUTE format('SELECT coalesce(array_agg(r.id || ''@'' || r.last_modified_at), ''{}'') AS rows,
                               max(r.last_modified_at) AS last_ts, max(r.id::text)::uuid AS last_id
                        FROM sync_%s_page($1, NULL, $2, $3, 1, $4, $5) AS r', p_table || 's')
            INTO v_page USING p_user, v_ts, v_id, b.until_timestamp, b.until_id;
        EXIT WHEN cardinality(v_page.rows) = 0;
        v_rows := v_rows || v_page.rows;
        EXIT WHEN cardinality(v_rows) > 2000;
        v_ts := v_page.last_ts AT TIME ZONE current_setting('genre_sync.stamp_time_zone');
        v_id := v_page.last_id;
    END LOOP;
    RETURN v_rows;
END
$$;

SET LOCAL TimeZone = 'UTC';
CREATE TEMP TABLE bounds_case AS
SELECT t.tbl, u.k AS user_k, u.id AS user_id, p.parts, a.after_ts,
       ARRAY(SELECT s.id || '@' || s.last_modified_at
             FROM (SELECT n.id, n.last_modified_at
                   FROM seed.sync_get_user_notes(u.id, seed.effective_genres(u.id), a.after_ts, 100000, 0) AS n
                   WHERE t.tbl = 'note'
                   UNION ALL
                   SELECT f.id, f.last_modified_at
                   FROM seed.sync_get_user_references(u.id, seed.effective_genres(u.id), a.after_ts, 100000, 0) AS f
                   WHERE t.tbl = 'reference') AS s
             ORDER BY s.last_modified_at, s.id) AS expected
FROM (VALUES ('note'), ('reference')) AS t(tbl)
CROSS JOIN regress.users u
CROSS JOIN (VALUES (1), (3), (8)) AS p(parts)
CROSS JOIN (VALUES (NULL::timestamptz), ('2024-03-10 07:20:00+00'), ('2024-03-31 01:30:00+00')) AS a(after_ts)
WHERE u.k IN (1, 8);

CREATE TEMP TABLE bounds_result (session_zone text, tbl text, user_k int, parts int, after_ts timestamptz,
                                 fetched text[], instants_off int, expected text[]);
CREATE FUNCTION pg_temp.bounds_case() RETURNS void LANGUAGE sql AS $$
    INSERT INTO bounds_result
    SELECT current_setting('TimeZone'), c.tbl, c.user_k, c.parts, c.after_ts,
           (SELECT coalesce(array_agg(x ORDER BY b.part, o), '{}')
            FROM sync_partition_bounds(c.tbl, c.user_id, NULL, c.parts, c.after_ts) AS b,
                 LATERAL unnest(pg_temp.fetch_part(c.tbl, c.user_id, b)) WITH ORDINALITY AS f(x, o)),
           (SELECT count(*) FILTER (
                WHERE b.until_timestamp AT TIME ZONE 'UTC' IS DISTINCT FROM
                      timestamp '1970-01-01' + substring(b.until_cursor FROM '^v1:(\d+):')::bigint
                                               * interval '1 microsecond'
                   OR (b.part > 1 AND (b.after_timestamp, b.after_id) IS DISTINCT FROM (b.prev_ts, b.prev_id))
                   OR (b.part = 1 AND b.after_timestamp IS DISTINCT FROM c.after_ts))
            FROM (SELECT b.*, lag(b.until_timestamp) OVER (ORDER BY b.part) AS prev_ts,
                         lag(b.until_id) OVER (ORDER BY b.part) AS prev_id
                  FROM sync_partition_bounds(c.tbl, c.user_id, NULL, c.parts, c.after_ts) AS b) AS b),
           c.expected
    FROM bounds_case c
$$;
SET LOCAL TimeZone = 'Europe/Berlin';
SELECT pg_temp.bounds_case();
SET LOCAL TimeZone = 'America/New_York';
SELECT pg_temp.bounds_case();
SET LOCAL TimeZone = 'UTC';

SELECT session_zone, tbl, count(*) AS cases, sum(cardinality(expected)) AS rows_expected,
       sum(cardinality(ARRAY(SELECT unnest(expected) EXCEPT SELECT unnest(fetched)))) AS lost,
       count(*) FILTER (WHERE fetched IS DISTINCT FROM expected) AS mismatches,
       sum(instants_off) AS bounds_off
FROM bounds_result GROUP BY 1, 2 ORDER BY 1 DESC, 2;

-- The session in the stamp zone, passing last_modified_at back as read.
-- Rows in that zone's own spring-forward gap cannot be stamped by its now()
-- (the rule's one assumption, docs/protocol.md): they are re-stamped as it
-- would have stamped their instant, an hour later. Berlin's, then New
-- York's too.
SET LOCAL genre_sync.stamp_time_zone = 'Europe/Berlin';
UPDATE note SET last_modified_at = last_modified_at + interval '1 hour'
WHERE last_modified_at >= '2024-03-31 02:00' AND last_modified_at < '2024-03-31 03:00';
UPDATE reference SET last_modified_at = last_modified_at + interval '1 hour'
WHERE last_modified_at >= '2024-03-31 02:00' AND last_modified_at < '2024-03-31 03:00';
UPDATE tune SET last_modified_at = last_modified_at + interval '1 hour'
WHERE last_modified_at >= '2024-03-31 02:00' AND last_modified_at < '2024-03-31 03:00';
SET LOCAL TimeZone = 'UTC';
SELECT pg_temp.expect();
SET LOCAL TimeZone = 'Europe/Berlin';
SELECT pg_temp.walk_case('as read');

SET LOCAL genre_sync.stamp_time_zone = 'America/New_York';
UPDATE note SET last_modified_at = last_modified_at + interval '1 hour'
WHERE last_modified_at >= '2024-03-10 02:00' AND last_modified_at < '2024-03-10 03:00';
UPDATE reference SET last_modified_at = last_modified_at + interval '1 hour'
WHERE last_modified_at >= '2024-03-10 02:00' AND last_modified_at < '2024-03-10 03:00';
UPDATE tune SET last_modified_at = last_modified_at + interval '1 hour'
WHERE last_modified_at >= '2024-03-10 02:00' AND last_modified_at < '2024-03-10 03:00';
SET LOCAL TimeZone = 'UTC';
SELECT pg_temp.expect();
SET LOCAL TimeZone = 'America/New_York';
SELECT pg_temp.walk_case('as read');
SET LOCAL genre_sync.stamp_time_zone = 'UTC';
SET LOCAL TimeZone = 'UTC';

-- The verdict: lost and repeated rows 0, every walk equal to the reference
-- (rows and order) and ended by an empty page.
SELECT stamp_zone, session_zone, passes, tbl, count(*) AS walks, sum(pages) AS pages,
       sum(cardinality(expected)) AS rows_expected,
       sum(cardinality(ARRAY(SELECT unnest(expected) EXCEPT SELECT unnest(walked)))) AS lost,
       sum(cardinality(walked) - (SELECT count(DISTINCT r) FROM unnest(walked) AS r)) AS repeated,
       count(*) FILTER (WHERE walked IS DISTINCT FROM expected) AS mismatches,
       bool_and(ended) AS all_ended
FROM tz_walk WHERE passes <> 'as read' OR stamp_zone = session_zone
GROUP BY 1, 2, 3, 4 ORDER BY passes DESC, stamp_zone DESC, session_zone, tbl;

-- The walks passed the gaps: user 8's rows on the days of New York's and
-- Berlin's spring-forward gaps between midnight and 10:00, and in the hours
-- before and after the repeated hours.
SELECT stamp_zone, session_zone, passes,
       count(*) FILTER (WHERE r LIKE '%2024-03-10 0_:%') AS at_new_york_gap,
       count(*) FILTER (WHERE r LIKE '%2024-03-31 0_:%') AS at_berlin_gap,
       count(*) FILTER (WHERE r LIKE '%2024-10-27 0_:%' OR r LIKE '%2024-11-03 0_:%') AS at_repeated_hours
FROM tz_walk, unnest(walked) AS r
WHERE user_k = 8 AND (passes <> 'as read' OR stamp_zone = session_zone)
GROUP BY 1, 2, 3 ORDER BY passes DESC, stamp_zone DESC, session_zone;

-- Not covered, as documented: from a session in another zone, the value
-- passed back as read names another instant. Berlin's is an hour or two
-- earlier, so a one-row walk gets its first row again and again (until its
-- page budget runs out); New York's is hours later, so its walks skip rows.
SELECT stamp_zone, session_zone, passes, tbl, count(*) AS walks,
       sum(cardinality(ARRAY(SELECT unnest(expected) EXCEPT SELECT unnest(walked)))) AS lost,
       sum(cardinality(walked) - (SELECT count(DISTINCT r) FROM unnest(walked) AS r)) AS repeated,
       bool_and(ended) AS all_ended
FROM tz_walk WHERE passes = 'as read' AND stamp_zone <> session_zone
GROUP BY 1, 2, 3, 4 ORDER BY session_zone DESC, tbl;

ROLLBACK;
