-- The keyset page functions against the contract's definition over the
-- seed's SQL (regress.ref_page): identical rows in identical order for every
-- user, genre set (NULL = the user's effective genres), cursor, limit and
-- until bound.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- Cursors: fixed positions (in and around the ties, ids that exist nowhere),
-- and the 1st and 13th rows of each case's own result, as a client resumes.
CREATE TEMP TABLE keyset_case AS
SELECT t.tbl, u.k AS user_k, u.id AS user_id, g.name AS genre_set, c.name AS cursor_name,
       c.ts::timestamptz AS after_ts, c.id AS after_id, l.lim,
       NULL::text AS until_name, NULL::timestamptz AS until_ts, NULL::uuid AS until_id
FROM (VALUES ('notes'), ('references'), ('tunes')) AS t(tbl)
CROSS JOIN regress.users u CROSS JOIN regress.genre_case g CROSS JOIN regress.cursor_case c
CROSS JOIN (VALUES (1), (7), (1000)) AS l(lim)
WHERE l.lim = 1000 OR g.name IN ('null', 'all', 'with_nulls', 'two', 'empty');

INSERT INTO keyset_case
SELECT t.tbl, u.k, u.id, g.name, 'row_' || key.ord, key.ts, key.id, l.lim, NULL, NULL, NULL
FROM (VALUES ('notes'), ('references'), ('tunes')) AS t(tbl)
CROSS JOIN regress.users u CROSS JOIN regress.genre_case g
CROSS JOIN LATERAL regress.ref_keys(t.tbl, u.id, regress.genres_for(g.name, u.id), 13) AS key
CROSS JOIN (VALUES (1), (7), (1000)) AS l(lim)
WHERE key.ord IN (1, 13);

-- Until bounds: timestamp only, timestamp and id, and bounds before the cursor.
INSERT INTO keyset_case
SELECT t.tbl, u.k, u.id, g.name, c.name, c.ts::timestamptz, c.id, l.lim,
       b.name, b.ts::timestamptz, b.id::uuid
FROM (VALUES ('notes'), ('references'), ('tunes')) AS t(tbl)
CROSS JOIN regress.users u CROSS JOIN regress.genre_case g CROSS JOIN regress.cursor_case c
CROSS JOIN (VALUES ('before_all', '2000-01-01 00:00:00', NULL),
                   ('tie_a_no_id', regress.tie_a()::text, NULL),
                   ('tie_a_mid_id', regress.tie_a()::text, '80000000-0000-0000-0000-000000000000'),
                   ('tie_b_no_id', regress.tie_b()::text, NULL),
                   ('tie_b_low_id', regress.tie_b()::text, '00000000-0000-0000-0000-000000000001'),
                   ('april', '2024-04-01 00:00:00', NULL)) AS b(name, ts, id)
CROSS JOIN (VALUES (7), (1000)) AS l(lim)
WHERE g.name IN ('null', 'all', 'with_nulls')
  AND c.name IN ('none', 'tie_a_no_id', 'tie_a_mid_id', 'tie_a_high_id')
  AND (l.lim = 1000 OR g.name = 'null');

CREATE TEMP TABLE keyset_result AS
SELECT k.*,
       regress.page(k.tbl, k.user_id, regress.genres_for(k.genre_set, k.user_id), k.after_ts,
                    k.after_id, k.lim, k.until_ts, k.until_id) AS ours,
       regress.ref_page(k.tbl, k.user_id, regress.genres_for(k.genre_set, k.user_id), k.after_ts,
                        k.after_id, k.lim, k.until_ts, k.until_id) AS ref
FROM keyset_case k;

-- The verdict: mismatches must be 0.
SELECT tbl, until_name IS NOT NULL AS with_until, count(*) AS cases,
       count(*) FILTER (WHERE cardinality(ref) > 0) AS nonempty,
       sum(cardinality(ref)) AS rows_compared,
       count(*) FILTER (WHERE ours IS DISTINCT FROM ref) AS mismatches
FROM keyset_result GROUP BY 1, 2 ORDER BY 1, 2;

SELECT tbl, user_k, genre_set, cursor_name, lim, until_name,
       cardinality(ours) AS our_rows, cardinality(ref) AS ref_rows
FROM keyset_result WHERE ours IS DISTINCT FROM ref
ORDER BY tbl, user_k, genre_set COLLATE "C", cursor_name COLLATE "C", lim,
         until_name COLLATE "C" LIMIT 10;

-- p_genre_ids NULL is the user's effective genres: the same page as passing
-- them, for every user and table.
SELECT r.tbl, count(*) AS cases,
       count(*) FILTER (WHERE r.ours IS DISTINCT FROM e.ours) AS differ_from_explicit
FROM keyset_result r
JOIN keyset_result e USING (tbl, user_k, cursor_name, lim)
WHERE r.genre_set = 'null' AND e.genre_set = 'effective'
  AND r.until_name IS NULL AND e.until_name IS NULL
GROUP BY r.tbl ORDER BY r.tbl;

-- A cursor timestamp without an id means last_modified_at > it: after the
-- whole 50-row tie of notes, not inside it.
SELECT n.last_modified_at > regress.tie_a() AS past_the_tie, count(*)
FROM sync_notes_page(regress.u(8), NULL, regress.tie_a(), NULL, 3) AS n GROUP BY 1;

-- Until bounds: inclusive of the bound row, empty when before the cursor.
-- (Against the seed's rows up to tie_b, counted here; the bound holds rows
-- of its own timestamp, so inclusiveness matters. Seen to fail: with the
-- oracle's <= made < the comparison was false, the count 231 it replaced
-- could not say which was right.)
SELECT count(*) = (SELECT count(*) FROM seed.sync_get_user_notes(regress.u(8), seed.effective_genres(regress.u(8)),
                                                                 NULL, NULL, 0) s
                   WHERE s.last_modified_at <= regress.tie_b()) AS up_to_tie_b_as_seed,
       count(*) FILTER (WHERE n.last_modified_at = regress.tie_b()) > 0 AS bound_rows_included
FROM sync_notes_page(regress.u(8), NULL, p_limit => 10000, p_until_timestamp => regress.tie_b()) n;
SELECT count(*) AS until_before_after
FROM sync_notes_page(regress.u(8), NULL, regress.tie_b(), NULL, 1000, regress.tie_a(), NULL);
SELECT count(*) AS until_equals_after
FROM sync_references_page(regress.u(8), NULL, regress.tie_a(), '80000000-0000-0000-0000-000000000000',
                          1000, regress.tie_a(), '80000000-0000-0000-0000-000000000000');
SELECT count(*) AS until_id_before_after_id
FROM sync_tunes_page(regress.u(8), NULL, regress.tie_a(), '80000000-0000-0000-0000-000000000000',
                     1000, regress.tie_a(), '7fffffff-ffff-ffff-ffff-ffffffffffff');

-- The timestamp arguments name instants, compared with the column in
-- genre_sync.stamp_time_zone (UTC here), never in the session's TimeZone:
-- under America/New_York, next to its DST gap and repeated hour too, every
-- page holds what the contract gives under UTC for the same instants, with
-- and without an id (the cases' text is cast under New York, so the
-- instants are New York wall clock). differ_in_session_zone counts the
-- cases where comparing under the session TimeZone, as the seed's SQL and
-- the drop-ins do (dropin_timezone), would give other rows.
SET TimeZone = 'America/New_York';
CREATE TEMP TABLE zone_result AS
SELECT t.tbl, u.id AS user_id, g.name AS genre_set, c.name AS cursor_name,
       c.ts::timestamptz AS after_ts, c.id AS after_id,
       regress.page(t.tbl, u.id, regress.genres_for(g.name, u.id), c.ts::timestamptz, c.id,
                    1000) AS ours,
       regress.ref_page(t.tbl, u.id, regress.genres_for(g.name, u.id), c.ts::timestamptz, c.id,
                        1000) AS ref_session_zone,
       NULL::text[] AS ref
FROM (VALUES ('notes'), ('references'), ('tunes')) AS t(tbl)
CROSS JOIN regress.users u
CROSS JOIN (VALUES ('null'), ('all'), ('two')) AS g(name)
CROSS JOIN (SELECT a.name, a.ts, NULL::uuid AS id FROM regress.after_case a
            UNION ALL
            SELECT 'id ' || k.name, k.ts, k.id FROM regress.cursor_case k
            WHERE k.id IS NOT NULL) AS c;
SET TimeZone = 'UTC';
UPDATE zone_result
SET ref = regress.ref_page(tbl, user_id, regress.genres_for(genre_set, user_id), after_ts,
                           after_id, 1000);
SELECT tbl, count(*) AS cases, sum(cardinality(ref)) AS rows_compared,
       count(*) FILTER (WHERE ours IS DISTINCT FROM ref) AS mismatches,
       count(*) FILTER (WHERE ref_session_zone IS DISTINCT FROM ref) AS differ_in_session_zone
FROM zone_result GROUP BY tbl ORDER BY tbl;
