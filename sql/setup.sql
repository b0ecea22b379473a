-- The fixture all tests share (one database for the whole suite): the app
-- schema, deterministic data with the hard cases, the extension, the seed's
-- reference SQL and the test helpers. Loaded quietly; the checks below show
-- that the data really holds the hard cases the other tests rely on.
SET client_min_messages = warning;
\set ECHO none
\i tools/app_schema.sql
\i sql/include/fixture.sql
\set ECHO all
CREATE EXTENSION genre_sync;
\set ECHO none
\i bench/sql/seed_rpcs.sql
\i sql/include/helpers.sql
\set ECHO all
RESET client_min_messages;
SET DateStyle = 'ISO, YMD';

-- The contract's functions: set-returning or not, STABLE, SECURITY INVOKER.
SELECT p.oid::regprocedure AS function, p.proretset AS returns_set,
       p.provolatile AS volatility, p.prosecdef AS security_definer
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'genre_sync'
WHERE p.proname IN ('sync_get_user_notes', 'sync_get_user_references', 'sync_notes_page',
                    'sync_references_page', 'sync_tunes_page',
                    'sync_get_playlist_tune_genres', 'sync_get_effective_genres')
ORDER BY p.proname;

-- Notes and references: system and owned rows, public and deleted rows, rows
-- without a tune, of deleted tunes and of private tunes, and big ties.
SELECT 'note' AS tbl, count(*) AS total, count(*) FILTER (WHERE n.user_ref IS NULL) AS system,
       count(DISTINCT n.user_ref) AS owners, count(*) FILTER (WHERE n.public) AS public,
       count(*) FILTER (WHERE n.deleted) AS deleted, count(*) FILTER (WHERE n.tune_ref IS NULL) AS no_tune,
       count(*) FILTER (WHERE t.deleted) AS of_deleted_tune,
       count(*) FILTER (WHERE t.private_for IS NOT NULL) AS of_private_tune
FROM note n LEFT JOIN tune t ON t.id = n.tune_ref
UNION ALL
SELECT 'reference', count(*), count(*) FILTER (WHERE r.user_ref IS NULL),
       count(DISTINCT r.user_ref), count(*) FILTER (WHERE r.public),
       count(*) FILTER (WHERE r.deleted), count(*) FILTER (WHERE r.tune_ref IS NULL),
       count(*) FILTER (WHERE t.deleted), count(*) FILTER (WHERE t.private_for IS NOT NULL)
FROM reference r LEFT JOIN tune t ON t.id = r.tune_ref;

-- Timestamps shared by more than one row (the pager's tie breaking).
SELECT tbl, last_modified_at, count(*) AS rows_sharing_it
FROM (SELECT 'note' AS tbl, last_modified_at FROM note
      UNION ALL SELECT 'reference', last_modified_at FROM reference
      UNION ALL SELECT 'tune', last_modified_at FROM tune) AS s
GROUP BY tbl, last_modified_at HAVING count(*) > 1
ORDER BY tbl, last_modified_at;

SELECT count(*) AS tunes, count(*) FILTER (WHERE deleted) AS deleted,
       count(*) FILTER (WHERE genre IS NULL) AS no_genre,
       count(*) FILTER (WHERE private_for = regress.u(1)) AS private_u1,
       count(*) FILTER (WHERE private_for = regress.u(2)) AS private_u2,
       count(*) FILTER (WHERE private_for IS NOT NULL AND deleted) AS private_deleted,
       count(DISTINCT genre) AS genres
FROM tune;

-- Each user's genre sources (the reference effective genres are their union).
SELECT u.k,
       (SELECT array_agg(genre_id ORDER BY genre_id COLLATE "C") FROM user_genre_selection
        WHERE user_id = u.id) AS selected,
       (SELECT array_agg(genre_default || CASE WHEN deleted THEN ' (deleted)' ELSE '' END
                         ORDER BY genre_default COLLATE "C")
        FROM playlist WHERE user_ref = u.id) AS playlist_defaults,
       seed.playlist_tune_genres(u.id) AS playlist_tune_genres,
       seed.effective_genres(u.id) AS effective
FROM regress.users u ORDER BY u.k;
