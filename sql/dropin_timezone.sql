-- The drop-ins compare their timestamptz argument with the timestamp column
-- as the seed does, under the session TimeZone. America/New_York puts fixture
-- rows inside the 2024-03-10 DST gap (wall times that do not exist, which
-- convert out of order) and the repeated hour of 2024-11-03; Asia/Kolkata is
-- a fixed, non-whole-hour offset.
SET DateStyle = 'ISO, YMD';

CREATE TEMP TABLE tz_case AS
SELECT z.zone, u.k AS user_k, u.id AS user_id, g.name AS genre_set, a.name AS after_name,
       a.ts AS after_ts
FROM (VALUES ('America/New_York'), ('Asia/Kolkata')) AS z(zone)
CROSS JOIN regress.users u CROSS JOIN regress.genre_case g CROSS JOIN regress.after_case a
WHERE a.ts IS NOT NULL AND g.name IN ('effective', 'all', 'two', 'mixed', 'empty');

CREATE TEMP TABLE tz_result (zone text, tbl text, user_k int, genre_set text, after_name text,
                             ours text[], ref text[]);

SET TimeZone = 'America/New_York';
INSERT INTO tz_result
SELECT c.zone, t.tbl, c.user_k, c.genre_set, c.after_name,
       regress.dropin('public', t.tbl, c.user_id, regress.genres_for(c.genre_set, c.user_id),
                      c.after_ts::timestamptz, 1000, 0),
       regress.dropin('seed', t.tbl, c.user_id, regress.genres_for(c.genre_set, c.user_id),
                      c.after_ts::timestamptz, 1000, 0)
FROM tz_case c CROSS JOIN (VALUES ('notes'), ('references')) AS t(tbl)
WHERE c.zone = current_setting('TimeZone');

-- Around the gap: the seed keeps 02:30:00.25 and 02:59:59.999999 (they
-- convert to 07:30Z and 07:59Z, after 07:20Z) but not 03:00 and 03:15.
SELECT n.note_text, n.last_modified_at
FROM sync_get_user_notes(regress.u(8), regress.genres_for('all', regress.u(8)),
                         '2024-03-10 07:20:00+00', 1000) AS n
WHERE n.last_modified_at BETWEEN '2024-03-09' AND '2024-03-11'
ORDER BY n.last_modified_at, n.id;

SET TimeZone = 'Asia/Kolkata';
INSERT INTO tz_result
SELECT c.zone, t.tbl, c.user_k, c.genre_set, c.after_name,
       regress.dropin('public', t.tbl, c.user_id, regress.genres_for(c.genre_set, c.user_id),
                      c.after_ts::timestamptz, 1000, 0),
       regress.dropin('seed', t.tbl, c.user_id, regress.genres_for(c.genre_set, c.user_id),
                      c.after_ts::timestamptz, 1000, 0)
FROM tz_case c CROSS JOIN (VALUES ('notes'), ('references')) AS t(tbl)
WHERE c.zone = current_setting('TimeZone');

SELECT zone, tbl, count(*) AS cases, sum(cardinality(ref)) AS rows_compared,
       count(*) FILTER (WHERE ours IS DISTINCT FROM ref) AS mismatches
FROM tz_result GROUP BY zone, tbl ORDER BY zone, tbl;

SELECT zone, tbl, after_name, count(*) AS mismatching_cases
FROM tz_result WHERE ours IS DISTINCT FROM ref
GROUP BY zone, tbl, after_name ORDER BY zone, tbl, after_name COLLATE "C";
