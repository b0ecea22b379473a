-- The drop-in functions against the seed's SQL: identical rows in identical
-- order for every user, genre set, after timestamp, limit and offset.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- Every user x genre set x after timestamp, one full page; and the limits and
-- offsets (inside the tie, past the end) over the genre sets and timestamps
-- where slicing is hardest.
CREATE TEMP TABLE dropin_case AS
SELECT u.k AS user_k, u.id AS user_id, g.name AS genre_set, a.name AS after_name, a.ts AS after_ts,
       1000 AS lim, 0 AS off
FROM regress.users u CROSS JOIN regress.genre_case g CROSS JOIN regress.after_case a
UNION ALL
SELECT u.k, u.id, g.name, a.name, a.ts, lo.lim, lo.off
FROM regress.users u
CROSS JOIN regress.genre_case g
CROSS JOIN regress.after_case a
CROSS JOIN (VALUES (1, 0), (1, 5), (3, 1), (7, 0), (7, 5), (50, 0), (50, 1), (3, 1000),
                   (1000, 5), (1000, 700)) AS lo(lim, off)
WHERE g.name IN ('effective', 'all', 'with_nulls', 'duplicates')
  AND a.name IN ('none', 'tie_a', 'tie_a_minus_1us', 'between_rows');

CREATE TEMP TABLE dropin_result AS
SELECT t.tbl, c.*,
       regress.dropin('public', t.tbl, c.user_id, regress.genres_for(c.genre_set, c.user_id),
                      c.after_ts::timestamptz, c.lim, c.off) AS ours,
       regress.dropin('seed', t.tbl, c.user_id, regress.genres_for(c.genre_set, c.user_id),
                      c.after_ts::timestamptz, c.lim, c.off) AS ref
FROM dropin_case c CROSS JOIN (VALUES ('notes'), ('references')) AS t(tbl);

-- The verdict: mismatches must be 0; the other columns show what was compared.
SELECT tbl, count(*) AS cases, count(*) FILTER (WHERE cardinality(ref) > 0) AS nonempty,
       sum(cardinality(ref)) AS rows_compared,
       count(*) FILTER (WHERE ours IS DISTINCT FROM ref) AS mismatches
FROM dropin_result GROUP BY tbl ORDER BY tbl;

-- Any mismatching case (none expected), to start debugging from.
SELECT tbl, user_k, genre_set, after_name, lim, off,
       cardinality(ours) AS our_rows, cardinality(ref) AS ref_rows
FROM dropin_result WHERE ours IS DISTINCT FROM ref
ORDER BY tbl, user_k, genre_set COLLATE "C", after_name COLLATE "C", lim, off LIMIT 10;

-- Rows per genre set over all users (full pages, no timestamp).
SELECT genre_set, sum(cardinality(ref)) FILTER (WHERE tbl = 'notes') AS notes,
       sum(cardinality(ref)) FILTER (WHERE tbl = 'references') AS refs
FROM dropin_result WHERE after_name = 'none' AND lim = 1000 AND off = 0
GROUP BY genre_set ORDER BY genre_set COLLATE "C";

-- The pinned notes 1..8: user 1 sees its own note on its private tune and the
-- system note on its genre-less private tune, user 2 the system note on its
-- private tune; nobody sees another user's private tune, a deleted tune, a
-- note without a tune, or a public tune without a genre.
SELECT u.k, n.note_text
FROM regress.users u
CROSS JOIN LATERAL sync_get_user_notes(u.id, regress.genres_for('all', u.id)) AS n
WHERE n.note_text IN ('note 1', 'note 2', 'note 3', 'note 4', 'note 5', 'note 6', 'note 7', 'note 8')
ORDER BY u.k, n.note_text COLLATE "C";

-- The row's own flags do not filter: deleted and public rows come back;
-- other users' rows never do.
SELECT 'notes' AS tbl, count(*) FILTER (WHERE deleted) AS deleted_rows,
       count(*) FILTER (WHERE public) AS public_rows,
       count(*) FILTER (WHERE user_ref <> regress.u(1)) AS other_users_rows
FROM sync_get_user_notes(regress.u(1), regress.genres_for('all', regress.u(1)))
UNION ALL
SELECT 'references', count(*) FILTER (WHERE deleted), count(*) FILTER (WHERE public),
       count(*) FILTER (WHERE user_ref <> regress.u(1))
FROM sync_get_user_references(regress.u(1), regress.genres_for('all', regress.u(1)));

-- A page inside the 50-row tie: user 8, all genres, 3 rows after 5 of them.
SELECT left(n.id::text, 8) AS id, n.last_modified_at, n.user_ref IS NULL AS system
FROM sync_get_user_notes(regress.u(8), regress.genres_for('all', regress.u(8)),
                         regress.tie_a() - interval '1 microsecond', 3, 5) AS n;
