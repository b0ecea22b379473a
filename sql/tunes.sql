-- sync_tunes_page's own rules (its rows against the reference are checked in
-- keyset and walk): the genre/private filter on tune itself, deleted tunes
-- left out of a first sync and kept on incremental pages.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- First sync (no cursor) has no deleted tune; an incremental one has them.
SELECT u.k,
       (SELECT count(*) FILTER (WHERE t.deleted)
        FROM sync_tunes_page(u.id, regress.genres_for('all', u.id), p_limit => 10000) AS t)
           AS deleted_first_sync,
       (SELECT count(*) FILTER (WHERE t.deleted)
        FROM sync_tunes_page(u.id, regress.genres_for('all', u.id), '2000-01-01', p_limit => 10000) AS t)
           AS deleted_incremental,
       (SELECT count(*) FROM sync_tunes_page(u.id, regress.genres_for('all', u.id), p_limit => 10000))
           AS first_sync_rows
FROM regress.users u ORDER BY u.k;

-- An until bound alone is still a first sync: no deleted tunes.
SELECT count(*) FILTER (WHERE t.deleted) AS deleted, count(*) AS tunes
FROM sync_tunes_page(regress.u(1), regress.genres_for('all', regress.u(1)), p_limit => 10000,
                     p_until_timestamp => '2024-12-31') AS t;

-- Private tunes: each owner sees its own, whatever the genres (tune 81 has
-- none; tune 41 is deleted, so only an incremental page has it); nobody else
-- sees them, even with every genre.
SELECT u.k, t.title, t.genre, t.deleted
FROM regress.users u
CROSS JOIN LATERAL sync_tunes_page(u.id, '{}', '2000-01-01', p_limit => 10000) AS t
ORDER BY u.k, t.title COLLATE "C";

SELECT u.k, count(*) FILTER (WHERE t.private_for IS NOT NULL) AS private_rows,
       count(*) FILTER (WHERE t.private_for IS NOT NULL AND t.private_for <> u.id) AS others_private
FROM regress.users u
CROSS JOIN LATERAL sync_tunes_page(u.id, regress.genres_for('all', u.id), '2000-01-01',
                                   p_limit => 10000) AS t
GROUP BY u.k ORDER BY u.k;

-- Public tunes without a genre match no genre set.
SELECT count(*) AS genreless_public
FROM sync_tunes_page(regress.u(8), regress.genres_for('all', regress.u(8)), '2000-01-01',
                     p_limit => 10000) AS t
WHERE t.genre IS NULL AND t.private_for IS NULL;

-- The 17-tune tie, one tune per page, as seen by user 2 with every genre on
-- incremental pages: 15 tunes (not user 1's private 201 nor the genre-less
-- 145; the deleted 135 and user 2's private 202 are in), ids increasing.
WITH pages AS (
    SELECT w.page_no, w.last_ts, w.last_id
    FROM regress.walk('tunes', regress.u(2), regress.genres_for('all', regress.u(2)), 1,
                      regress.tie_a() - interval '1 microsecond') AS w
)
SELECT count(*) AS tie_rows,
       bool_and(prev IS NULL OR last_id > prev) AS ids_increasing,
       count(*) FILTER (WHERE last_id = regress.tune(202)) AS has_tune_202
FROM (SELECT last_ts, last_id, lag(last_id) OVER (ORDER BY page_no) AS prev FROM pages) AS s
WHERE last_ts = regress.tie_a();
