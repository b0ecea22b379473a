-- Genre discovery against the reference SQL: sorted (COLLATE "C", so
-- 'Galician' and 'Zydeco' come first), distinct, '{}' rather than NULL.

SELECT u.k, sync_get_effective_genres(u.id) AS effective,
       sync_get_effective_genres(u.id) IS NOT DISTINCT FROM seed.effective_genres(u.id) AS same_as_ref,
       sync_get_playlist_tune_genres(u.id) AS playlist_tune,
       sync_get_playlist_tune_genres(u.id) IS NOT DISTINCT FROM seed.playlist_tune_genres(u.id)
           AS same_as_ref
FROM regress.users u ORDER BY u.k;

-- Flip every deleted flag that the discovery reads (playlists, playlist_tune
-- rows, tunes) and compare again: each source's filter matters for some user.
BEGIN;
UPDATE playlist SET deleted = NOT deleted;
UPDATE playlist_tune SET deleted = NOT deleted;
UPDATE tune SET deleted = NOT deleted;
SELECT u.k, sync_get_effective_genres(u.id) AS effective,
       sync_get_effective_genres(u.id) IS NOT DISTINCT FROM seed.effective_genres(u.id) AS same_as_ref,
       sync_get_playlist_tune_genres(u.id) IS NOT DISTINCT FROM seed.playlist_tune_genres(u.id)
           AS same_as_ref
FROM regress.users u ORDER BY u.k;
ROLLBACK;

-- A selection of a genre no tune has still counts; removing everything
-- leaves an empty array, not NULL.
BEGIN;
DELETE FROM user_genre_selection WHERE user_id = regress.u(7) AND genre_id = 'contra';
SELECT sync_get_effective_genres(regress.u(7)) AS u7_effective;
DELETE FROM playlist_tune;
DELETE FROM playlist;
DELETE FROM user_genre_selection;
SELECT count(*) AS users, count(*) FILTER (WHERE sync_get_effective_genres(u.id) = '{}') AS empty_effective,
       count(*) FILTER (WHERE sync_get_playlist_tune_genres(u.id) = '{}') AS empty_playlist_tune
FROM regress.users u;
ROLLBACK;

-- The page functions take these genres when p_genre_ids is NULL, read inside
-- the same call: a selection added in this transaction shows at once.
BEGIN;
SELECT count(*) AS u5_before FROM sync_notes_page(regress.u(5), NULL, p_limit => 10000);
INSERT INTO user_genre_selection (user_id, genre_id) VALUES (regress.u(5), 'shanty');
SELECT cardinality(regress.page('notes', regress.u(5), NULL, NULL, NULL, 10000)) AS u5_after,
       regress.page('notes', regress.u(5), NULL, NULL, NULL, 10000)
           = regress.ref_page('notes', regress.u(5), '{shanty}', NULL, NULL, NULL) AS same_as_ref;
ROLLBACK;
