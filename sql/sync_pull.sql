-- sync_pull, text cursors, sync_range_checksum and the safe horizon (1.1).
SET DateStyle = 'ISO, YMD';

-- A pull as a worker runs it: pages from p_cursor until has_more is false,
-- bounded by the horizon cursor of the first page. Rows as '<id>@<json
-- timestamp>' in delivery order.
CREATE FUNCTION pg_temp.pull_walk(p_table text, p_user uuid, p_genres text[], p_size int,
                                  p_cursor text DEFAULT NULL)
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    v_page jsonb;
    v_rows text[] := '{}';
    v_cursor text := p_cursor;
    v_until text;
BEGIN
    LOOP
        v_page := sync_pull(p_table, p_user, p_genres, v_cursor, p_size, v_until);
        v_until := coalesce(v_until, v_page->>'horizon_cursor');
        v_rows := v_rows || ARRAY(SELECT (r->>'id') || '@' || (r->>'last_modified_at')
                                  FROM jsonb_array_elements(v_page->'rows') r);
        -- A short page with more to come only while a change is caught up.
        IF (v_page->>'row_count')::int > p_size
           OR (v_page->>'row_count')::int < p_size AND (v_page->>'has_more')::boolean
              AND NOT (v_page->>'catch_up')::boolean THEN
            RAISE EXCEPTION 'inconsistent page: %', v_page - 'rows';
        END IF;
        v_cursor := v_page->>'next_cursor';
        EXIT WHEN NOT (v_page->>'has_more')::boolean;
    END LOOP;
    RETURN v_rows;
END
$$;

-- A v2 cursor of a replica that holds p_user's rows of the current filter up
-- to (p_ts, p_id), with every move seen (moves stamp far ahead), written by
-- hand as the protocol documents it (docs/protocol.md, "Cursors").
CREATE FUNCTION pg_temp.v2_at(p_ts timestamp, p_id uuid, p_user uuid) RETURNS text
LANGUAGE sql AS $$
    SELECT format('v2/%s:%s/%s/-/%s', (extract(epoch FROM p_ts) * 1000000)::bigint, p_id,
                  9000000000000000,
                  (SELECT string_agg(g || ',', '' ORDER BY g COLLATE "C")
                   FROM unnest(seed.effective_genres(p_user)) g
                   WHERE g ~ '^[A-Za-z0-9._~-]+$'))
$$;

-- What a pull from scratch must deliver: the seed's rows for the effective
-- genres, in key order, timestamps in JSON form (full microseconds).
CREATE FUNCTION pg_temp.expected(p_table text, p_user uuid) RETURNS text[]
LANGUAGE sql AS $$
    SELECT ARRAY(
        SELECT r.id || '@' || to_char(r.last_modified_at, 'YYYY-MM-DD"T"HH24:MI:SS.US')
        FROM (SELECT id, last_modified_at FROM seed.sync_get_user_notes(
                  p_user, seed.effective_genres(p_user), NULL, 1000000, 0)
              WHERE p_table = 'note'
              UNION ALL
              SELECT id, last_modified_at FROM seed.sync_get_user_references(
                  p_user, seed.effective_genres(p_user), NULL, 1000000, 0)
              WHERE p_table = 'reference') r
        ORDER BY r.last_modified_at, r.id)
$$;

-- JSON drops trailing zeros of the fraction; the reference keeps all six.
CREATE FUNCTION pg_temp.canonical(p text[]) RETURNS text[]
LANGUAGE sql AS $$
    SELECT ARRAY(SELECT split_part(x, '@', 1) || '@' ||
                        to_char(split_part(x, '@', 2)::timestamp, 'YYYY-MM-DD"T"HH24:MI:SS.US')
                 FROM unnest(p) WITH ORDINALITY AS u(x, n) ORDER BY n)
$$;

-- Every user, both tables, page sizes 1, 7 and 1000, under three TimeZones
-- (one with daylight saving, one with a 45-minute offset): every row exactly
-- once, in order, with exact timestamps.
SELECT tz, tbl, size,
       count(*) AS users,
       count(*) FILTER (WHERE pg_temp.canonical(got) = pg_temp.expected(tbl, u)) AS identical,
       sum(cardinality(got)) AS rows_delivered
FROM (VALUES ('UTC'), ('America/New_York'), ('Asia/Kathmandu')) AS z(tz),
     (VALUES ('note'), ('reference')) AS t(tbl),
     (VALUES (1), (7), (1000)) AS s(size),
     LATERAL (SELECT set_config('TimeZone', z.tz, true)) AS set_tz,
     LATERAL (SELECT regress.u(k) AS u FROM generate_series(1, 8) k) AS users,
     LATERAL (SELECT pg_temp.pull_walk(t.tbl, users.u, NULL, s.size) AS got) AS w
GROUP BY tz, tbl, size
ORDER BY tz, tbl, size;
RESET TimeZone;

-- Tunes: the first page is a first sync (no deleted tunes), later pages are
-- incremental (deleted tunes too), as for sync_tunes_page.
SELECT pg_temp.canonical(pg_temp.pull_walk('tune', regress.u(1), NULL, 1000))
     = ARRAY(SELECT id || '@' || to_char(last_modified_at, 'YYYY-MM-DD"T"HH24:MI:SS.US')
             FROM tune t
             WHERE ((genre = ANY (seed.effective_genres(regress.u(1))) AND private_for IS NULL)
                    OR private_for = regress.u(1)) AND NOT deleted
             ORDER BY last_modified_at, id) AS tunes_first_sync;

-- Resuming from any position with a v2 cursor gives exactly the rest; from
-- a v1 cursor (release 1.2's, which cannot tell its filter) every row up to
-- it once more, then the rest: the whole pull.
SELECT bool_and(pg_temp.pull_walk('note', regress.u(3), NULL, 13, c2)
                = (pg_temp.pull_walk('note', regress.u(3), NULL, 1000))[n + 1:]) AS resumes_exactly,
       bool_and(pg_temp.pull_walk('note', regress.u(3), NULL, 13, c1)
                = pg_temp.pull_walk('note', regress.u(3), NULL, 1000)) AS v1_catches_up,
       count(*) AS cursors_tried
FROM (SELECT pg_temp.v2_at(r.last_modified_at, r.id, regress.u(3)) AS c2,
             'v1:' || ((extract(epoch FROM r.last_modified_at) * 1000000)::bigint) || ':' || r.id AS c1,
             row_number() OVER (ORDER BY r.last_modified_at, r.id) AS n
      FROM seed.sync_get_user_notes(regress.u(3), seed.effective_genres(regress.u(3)), NULL, 1000000, 0) r) keys
WHERE n % 17 = 1 OR n IN (49, 50, 51);

-- The envelope: its fields, an exact last page, an empty pull that keeps
-- its cursor's position, genres and flags (its moves stamp follows the
-- horizon), genres normalized and hashed.
WITH full_pull AS (
    SELECT sync_pull('reference', regress.u(2), NULL, NULL, 1000)::jsonb AS e
), exact AS (
    SELECT sync_pull('reference', regress.u(2), NULL, NULL,
                     (SELECT (e->>'row_count')::int FROM full_pull))::jsonb AS e
)
SELECT (SELECT array_agg(k ORDER BY k) FROM full_pull, jsonb_object_keys(e) k) AS fields,
       (SELECT e->>'has_more' FROM exact) AS exact_page_has_more,
       (SELECT regexp_replace(e->>'next_cursor', '^(v2/[^/]*/)[0-9]+/', '\1')
               = (SELECT regexp_replace(e->>'next_cursor', '^(v2/[^/]*/)[0-9]+/', '\1') FROM full_pull)
        FROM exact) AS same_cursor,
       (SELECT (p - 'horizon' - 'horizon_cursor' - 'genres' - 'genres_hash' - 'until' - 'next_cursor'
                = jsonb_build_object('rows', '[]'::jsonb, 'removed', '[]'::jsonb, 'row_count', 0,
                                     'has_more', false, 'catch_up', false, 'table', 'reference',
                                     'cursor', e->>'next_cursor', 'horizon_source', 'primary',
                                     'horizon_reason', NULL))
               AND regexp_replace(p->>'next_cursor', '^(v2/[^/]*/)[0-9]+/', '\1')
                   = regexp_replace(e->>'next_cursor', '^(v2/[^/]*/)[0-9]+/', '\1')
        FROM full_pull, CAST(sync_pull('reference', regress.u(2), NULL, e->>'next_cursor') AS jsonb) p)
           AS empty_pull_keeps_cursor;

SELECT e->'genres' AS genres, e->>'genres_hash' = md5('Galician' || E'\n' || 'irish') AS hash_ok
FROM sync_pull('note', regress.u(1), ARRAY['irish', NULL, 'Galician', 'irish'], NULL, 1) e;

-- Timestamps in rows keep every microsecond.
SELECT e->'rows'->0->>'last_modified_at' AS json_ts
FROM sync_pull('note', regress.u(1), NULL,
               pg_temp.v2_at(regress.tie_a() - interval '1 microsecond',
                             '00000000-0000-0000-0000-000000000000', regress.u(1)), 1) e;

-- Checksums: the README's definition computed independently, over the
-- whole set and over a cursor range; a range's checksum is that of the rows
-- a pull of the range delivers.
CREATE FUNCTION pg_temp.readme_checksum(p_rows text[]) RETURNS text
LANGUAGE sql AS $$
    -- sum of the first 64 bits of md5('<id>:<unix micros>'), mod 2^64, in hex
    SELECT lpad(to_hex((CASE WHEN s >= 9223372036854775808 THEN s - 18446744073709551616
                             ELSE s END)::bigint), 16, '0')
    FROM (SELECT mod(mod(coalesce(sum(('x' || substr(md5(split_part(x, '@', 1) || ':' ||
                     (extract(epoch FROM split_part(x, '@', 2)::timestamp) * 1000000)::bigint),
                     1, 16))::bit(64)::bigint::numeric), 0), 18446744073709551616)
                     + 18446744073709551616, 18446744073709551616) AS s
          FROM unnest(p_rows) x) total
$$;

SELECT tbl, c.row_count = cardinality(pg_temp.expected(tbl, regress.u(4))) AS count_ok,
       c.checksum = pg_temp.readme_checksum(pg_temp.expected(tbl, regress.u(4))) AS checksum_ok
FROM (VALUES ('note'), ('reference')) t(tbl),
     sync_range_checksum(tbl, regress.u(4), NULL, NULL, NULL) c;

WITH keys AS (
    SELECT pg_temp.v2_at(r.last_modified_at, r.id, regress.u(8)) AS c,
           'v1:' || ((extract(epoch FROM r.last_modified_at) * 1000000)::bigint) || ':' || r.id AS position,
           row_number() OVER (ORDER BY r.last_modified_at, r.id) AS n
    FROM seed.sync_get_user_references(regress.u(8), seed.effective_genres(regress.u(8)), NULL, 1000000, 0) r
), range AS (
    SELECT (SELECT c FROM keys WHERE n = 10) AS after, (SELECT position FROM keys WHERE n = 40) AS until
)
SELECT s.row_count, s.checksum = pg_temp.readme_checksum(
           pg_temp.canonical(p.pull_walk_range)) AS matches_pulled_rows
FROM range,
     sync_range_checksum('reference', regress.u(8), NULL, range.after, range.until) s,
     LATERAL (SELECT ARRAY(SELECT (r->>'id') || '@' || (r->>'last_modified_at')
                           FROM json_array_elements(sync_pull('reference', regress.u(8), NULL,
                                range.after, 1000, range.until)->'rows') r) AS pull_walk_range) p;

-- Known answers computed outside PostgreSQL: the JavaScript of
-- docs/protocol.md "Range checksums", verbatim, run with node 18 over these
-- seven rows (ids and unix micros; year 1, a negative and a zero count, a
-- tie, year 9999; the sum wraps past 2^64):
--   const rows = [{ id: "00000000-0000-0000-0000-000000000001", micros: "0" }, ...];
--   checksum(rows) and, in key order, checksum(first k) and checksum(rest)
-- (python3: '%016x' % (sum(int(md5(f'{id}:{micros}').hexdigest()[:16], 16)
-- for id, micros in rows) % 2**64) gives the same total). The rows are
-- system notes of a tune private to a user of their own, so '{}' selects
-- exactly them; a second user gets the same rows inserted in reverse order.
-- Seen to fail: with the year-9999 row stamped a few microseconds off (its
-- timestamp first computed as micros * interval '1 microsecond', which goes
-- through float8) known_answer, reverse_inserted_same and all six tails and
-- sums were false, the heads (without that row) true.
BEGIN;
CREATE TEMP TABLE ck_row (ord int, id uuid, micros bigint, ts timestamp);
INSERT INTO ck_row (ord, id, micros) VALUES
    (3, '00000000-0000-0000-0000-000000000001', 0),
    (6, '0b8854ad-38f0-a6c6-5807-928d28195609', 1740823200123456),
    (5, '0b8854ad-38f0-a6c6-5807-92800000000a', 1740823200123456),
    (2, 'ffffffff-ffff-ffff-ffff-ffffffffffff', -1),
    (4, '80000000-0000-0000-0000-000000000000', 946684800000000),
    (7, '12345678-9abc-def0-1234-56789abcdef0', 253402300799999999),
    (1, '00000000-0000-0000-0000-00000000000f', -62135596800000000);
-- (-infinity has a position too, but sync_range_checksum cannot take a row
-- stamped -infinity: "cannot convert infinity to bigint"; left out here.)
-- (bigint * interval goes through float8: split into exact seconds and micros)
UPDATE ck_row SET ts = timestamp '1970-01-01' + (micros / 1000000) * interval '1 second'
                                              + (micros % 1000000) * interval '1 microsecond';
INSERT INTO user_profile (id, name) VALUES (md5('ck user a')::uuid, 'ck a'), (md5('ck user b')::uuid, 'ck b');
INSERT INTO tune (id, title, private_for, last_modified_at)
VALUES (md5('ck tune a')::uuid, 'ck a', md5('ck user a')::uuid, '2024-01-01'),
       (md5('ck tune b')::uuid, 'ck b', md5('ck user b')::uuid, '2024-01-01');
INSERT INTO note (id, tune_ref, last_modified_at)
SELECT id, md5('ck tune a')::uuid, ts FROM ck_row ORDER BY ord;
-- user b's copies: other ids would change the sum, so the same ids in a
-- table of its own is not possible; reference holds them instead, inserted
-- in reverse key order.
INSERT INTO reference (id, url, tune_ref, last_modified_at)
SELECT id, 'https://example.org/ck', md5('ck tune b')::uuid, ts FROM ck_row ORDER BY ord DESC;
SELECT c.row_count, c.checksum, c.checksum = '386c5be81b769051' AS known_answer
FROM sync_range_checksum('note', md5('ck user a')::uuid, '{}', NULL, NULL) c;
SELECT c.checksum = '386c5be81b769051' AS reverse_inserted_same
FROM sync_range_checksum('reference', md5('ck user b')::uuid, '{}', NULL, NULL) c;
-- Split after the k-th row in key order: (start, k] and (k, end] give node's
-- answers, and they add up to the whole modulo 2^64.
SELECT k.k,
       head.checksum = k.head AS head_known, tail.checksum = k.tail AS tail_known,
       mod(('x' || head.checksum)::bit(64)::bigint::numeric + 18446744073709551616
           + ('x' || tail.checksum)::bit(64)::bigint::numeric + 18446744073709551616, 18446744073709551616)
         = mod(('x' || '386c5be81b769051')::bit(64)::bigint::numeric + 18446744073709551616, 18446744073709551616)
         AS parts_add_up,
       head.row_count + tail.row_count AS rows
FROM (VALUES (1, 'ec120ba364899aa1', '4c5a5044b6ecf5b0'), (2, 'e0458b22b8b21271', '5826d0c562c47de0'),
             (3, 'ffbe8f017014daf1', '38adcce6ab61b560'), (4, '15c79e57c7331b26', '22a4bd905443752b'),
             (5, '731294b460a0bb9a', 'c559c733bad5d4b7'), (6, '46645df64e408ff1', 'f207fdf1cd360060'))
       AS k(k, head, tail)
JOIN ck_row r ON r.ord = k.k,
     LATERAL sync_range_checksum('note', md5('ck user a')::uuid, '{}', NULL,
                                 'v1:' || r.micros || ':' || r.id) head,
     LATERAL sync_range_checksum('note', md5('ck user a')::uuid, '{}',
                                 'v1:' || r.micros || ':' || r.id, NULL) tail
ORDER BY k.k;
ROLLBACK;
-- An empty range sums to zero.
SELECT * FROM sync_range_checksum('note', regress.u(9), '{}', NULL, NULL);

-- A row stamped -infinity has a position (docs/protocol.md) and counts with
-- it: the sum of one row is its md5('<id>:-9222425352054775808') prefix,
-- written out here. Seen to fail before the fix: "cannot convert infinity
-- to bigint".
BEGIN;
INSERT INTO tune (id, genre, last_modified_at) VALUES (md5('ck -inf tune')::uuid, 'irish', '2024-01-01');
INSERT INTO note (id, tune_ref, last_modified_at)
VALUES (md5('ck -inf note')::uuid, md5('ck -inf tune')::uuid, '-infinity');
SELECT c.row_count,
       c.checksum = substr(md5(md5('ck -inf note')::uuid::text || ':-9222425352054775808'), 1, 16) AS known
FROM sync_range_checksum('note', md5('ck -inf user')::uuid, '{irish}', NULL,
                         'v1:-9222425352054775808:ffffffff-ffff-ffff-ffff-ffffffffffff') c;
ROLLBACK;

-- Malformed cursors: 22P02 naming the argument.
SELECT regress.outcome(format('SELECT sync_pull(%L, %L, NULL, %L)', 'note', regress.u(1), c))
FROM unnest(ARRAY['', 'v1', 'v2:1:00000000-0000-0000-0000-000000000000',
                  'v1:01:00000000-0000-0000-0000-000000000000',
                  'v1:1:00000000-0000-0000-0000-00000000000G',
                  'v1:1.5:00000000-0000-0000-0000-000000000000',
                  'v1:99999999999999999999:00000000-0000-0000-0000-000000000000',
                  'v1:1:00000000-0000-0000-0000-000000000000:']) c;
SELECT regress.outcome(format('SELECT sync_pull(%L, %L, NULL, NULL, 5, %L)', 'note', regress.u(1), 'x'));
SELECT regress.outcome(format('SELECT row_count FROM sync_range_checksum(%L, %L, NULL, %L, NULL)',
                              'note', regress.u(1), 'v1:x'));
SELECT regress.outcome(format('SELECT row_count FROM sync_range_checksum(%L, %L, NULL, NULL, %L)',
                              'note', regress.u(1), 'v1:1:x'));
SELECT regress.outcome(format('SELECT sync_pull(%L, %L)', 'notes', regress.u(1)));
SELECT regress.outcome(format('SELECT sync_pull(NULL, %L)', regress.u(1)));
SELECT regress.outcome('SELECT sync_pull(''note'', NULL)');
SELECT regress.outcome(format('SELECT sync_pull(%L, %L, NULL, NULL, 0)', 'note', regress.u(1)));
SELECT regress.outcome(format('SELECT sync_pull(%L, %L, %L)', 'note', regress.u(1), '{{a},{b}}'));

-- The safe horizon: behind the clock by the margin; a row stamped by a
-- transaction that started after it is not returned yet.
SELECT sync_safe_horizon() <= (clock_timestamp() AT TIME ZONE 'UTC') - interval '1 second' AS behind_clock,
       sync_safe_horizon() > (clock_timestamp() AT TIME ZONE 'UTC') - interval '1 minute' AS recent;
BEGIN;
INSERT INTO note (id, tune_ref, last_modified_at)
VALUES ('00000000-0000-0000-0000-00000000feed',
        (SELECT min(id::text)::uuid FROM tune WHERE genre = 'irish' AND private_for IS NULL AND NOT deleted),
        now() AT TIME ZONE 'UTC');
SELECT count(*) AS fresh_row_returned
FROM sync_notes_page(regress.u(1), regress.genres_with_tunes(), now() - interval '1 minute')
WHERE id = '00000000-0000-0000-0000-00000000feed';
SET LOCAL genre_sync.horizon_margin = 0;
SELECT pg_sleep(0.01);
SELECT count(*) AS returned_once_behind_horizon
FROM sync_notes_page(regress.u(1), regress.genres_with_tunes(), now() - interval '1 minute')
WHERE id = '00000000-0000-0000-0000-00000000feed';
ROLLBACK;
SHOW genre_sync.stamp_time_zone;
SHOW genre_sync.horizon_margin;
