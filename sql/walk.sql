-- Full keyset walks, page after page as a client does: with page sizes 1, 7
-- and 1000 every row comes back exactly once, in order, every page but the
-- last is full, and the page after the last row is empty.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

CREATE TEMP TABLE walk_case AS
SELECT row_number() OVER () AS case_no, t.tbl, u.k AS user_k, u.id AS user_id,
       g.name AS genre_set, s.name AS start_name, s.ts::timestamptz AS start_ts, p.page_size
FROM (VALUES ('notes'), ('references'), ('tunes')) AS t(tbl)
CROSS JOIN regress.users u
CROSS JOIN regress.genre_case g
CROSS JOIN (VALUES ('none', NULL),
                   ('tie_a_minus_1us', (regress.tie_a() - interval '1 microsecond')::text),
                   ('between_rows', '2024-05-10 00:00:00')) AS s(name, ts)
CROSS JOIN (VALUES (1), (7), (1000)) AS p(page_size)
WHERE g.name IN ('null', 'all', 'two', 'with_nulls', 'empty')
  -- one-row pages: every user from the start, and user 8 through the ties
  AND (p.page_size > 1
       OR (g.name IN ('null', 'two') AND s.name = 'none')
       OR (u.k = 8 AND g.name = 'all' AND s.name = 'tie_a_minus_1us'));

CREATE TEMP TABLE walk_page AS
SELECT c.case_no, p.page_no, p.rows
FROM walk_case c
CROSS JOIN LATERAL regress.walk(c.tbl, c.user_id, regress.genres_for(c.genre_set, c.user_id),
                                c.page_size, c.start_ts) AS p;
CREATE INDEX ON walk_page (case_no);

CREATE TEMP TABLE walk_result AS
SELECT c.*,
       (SELECT count(*) FROM walk_page p WHERE p.case_no = c.case_no) AS pages,
       (SELECT count(*) FROM walk_page p
        WHERE p.case_no = c.case_no AND cardinality(p.rows) = c.page_size) AS full_pages,
       (SELECT coalesce(max(cardinality(p.rows)), 0) FROM walk_page p
        WHERE p.case_no = c.case_no) AS biggest_page,
       (SELECT coalesce(array_agg(e.r ORDER BY p.page_no, e.ord), '{}')
        FROM walk_page p, unnest(p.rows) WITH ORDINALITY AS e(r, ord)
        WHERE p.case_no = c.case_no) AS walked,
       regress.expected_walk(c.tbl, c.user_id, regress.genres_for(c.genre_set, c.user_id),
                             c.page_size, c.start_ts) AS expected
FROM walk_case c;

-- The verdict: walks equal to the reference, no id twice, only the last page
-- short (a walk of n pages has n - 1 full pages, or n when the last is full).
SELECT tbl, page_size, count(*) AS walks, sum(pages) AS pages,
       sum(cardinality(expected)) AS rows_expected,
       count(*) FILTER (WHERE walked IS DISTINCT FROM expected) AS mismatches,
       count(*) FILTER (WHERE (SELECT count(DISTINCT r) FROM unnest(walked) AS r)
                              <> cardinality(walked)) AS with_repeats,
       count(*) FILTER (WHERE full_pages < pages - 1 OR biggest_page > page_size) AS bad_page_sizes
FROM walk_result GROUP BY tbl, page_size ORDER BY tbl, page_size;

SELECT tbl, user_k, genre_set, start_name, page_size,
       cardinality(walked) AS walked_rows, cardinality(expected) AS expected_rows
FROM walk_result WHERE walked IS DISTINCT FROM expected
ORDER BY tbl, user_k, genre_set COLLATE "C", start_name COLLATE "C", page_size LIMIT 10;
