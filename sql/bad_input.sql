-- Bad input: an ERROR with the right SQLSTATE and a message naming the
-- argument, from every function; and the inputs that are not errors.
SET TimeZone = 'UTC';

-- As a client sees them (this also loads the library, so the setting below
-- is known and checked).
SELECT * FROM sync_get_user_notes(NULL, '{irish}');
SELECT * FROM sync_get_user_references(regress.u(1), '{irish}', NULL, 0);
SELECT * FROM sync_notes_page(regress.u(1), '{irish}', p_limit => 10001);
SELECT * FROM sync_get_user_notes(regress.u(1), '{irish}', NULL, 10, -1);
SELECT * FROM sync_tunes_page(regress.u(1), '{irish}', p_after_id => regress.tune(1));
SELECT * FROM sync_references_page(regress.u(1), '{irish}', p_until_id => regress.tune(1));
SELECT * FROM sync_get_user_notes(regress.u(1), '{{irish,scottish},{oldtime,contra}}');
SELECT sync_get_effective_genres(NULL);

-- Every function x every bad input, as 'SQLSTATE: message' ('ok: n' = rows).
CREATE TEMP TABLE call_kind (fn text, kind text);
INSERT INTO call_kind VALUES
    ('sync_get_user_notes', 'dropin'), ('sync_get_user_references', 'dropin'),
    ('sync_notes_page', 'page'), ('sync_references_page', 'page'), ('sync_tunes_page', 'page'),
    ('sync_get_playlist_tune_genres', 'genres'), ('sync_get_effective_genres', 'genres');

CREATE TEMP TABLE bad_call (kinds text[], name text, args text);
INSERT INTO bad_call VALUES
    ('{dropin,page,genres}', 'null user', 'p_user_id => NULL'),
    ('{dropin,page}', 'limit 0', 'p_limit => 0'),
    ('{dropin,page}', 'limit -1', 'p_limit => -1'),
    ('{dropin,page}', 'limit 10001', 'p_limit => 10001'),
    ('{dropin,page}', 'limit 10000', 'p_limit => 10000'),
    ('{dropin,page}', 'limit NULL', 'p_limit => NULL'),
    ('{dropin}', 'offset -1', 'p_offset => -1'),
    ('{dropin}', 'offset -2147483648', 'p_offset => -2147483648'),
    ('{page}', 'after id, no timestamp', 'p_after_id => ''80000000-0000-0000-0000-000000000000'''),
    ('{page}', 'until id, no timestamp', 'p_until_id => ''80000000-0000-0000-0000-000000000000'''),
    ('{page}', 'until before after', 'p_after_timestamp => ''2024-06-01'', p_until_timestamp => ''2024-05-01'''),
    ('{dropin,page}', '2-D genres', 'p_genre_ids => ''{{irish,scottish},{oldtime,contra}}'''),
    ('{dropin,page}', '3-D genres', 'p_genre_ids => ''{{{irish}}}'''),
    ('{dropin,page}', 'genres with NULLs', 'p_genre_ids => ''{NULL,irish,NULL}'''),
    ('{dropin,page}', 'empty genres', 'p_genre_ids => ''{}''');

SELECT b.name, k.fn,
       regress.outcome(format('SELECT count(*) FROM %I(%s)', k.fn,
           concat_ws(', ', CASE WHEN b.args NOT LIKE 'p_user_id%' THEN 'p_user_id => regress.u(1)' END,
                     CASE WHEN k.kind <> 'genres' AND b.args NOT LIKE 'p_genre_ids%'
                          THEN 'p_genre_ids => ''{irish}''' END,
                     b.args))) AS outcome
FROM bad_call b JOIN call_kind k ON k.kind = ANY (b.kinds)
ORDER BY b.name COLLATE "C", k.fn COLLATE "C";

-- NULL and omitted p_limit both mean 1000 (with more than 1000 matching rows).
BEGIN;
INSERT INTO note (id, user_ref, tune_ref, last_modified_at)
SELECT md5('bulk note' || i)::uuid, NULL, regress.pick_tunes('irish', false, 1),
       timestamp '2025-01-01' + i * interval '1 second'
FROM generate_series(1, 1200) AS i;
INSERT INTO reference (id, url, tune_ref, last_modified_at)
SELECT md5('bulk reference' || i)::uuid, 'https://example.org/bulk/' || i,
       regress.pick_tunes('irish', false, 1), timestamp '2025-01-01' + i * interval '1 second'
FROM generate_series(1, 1200) AS i;
SELECT (SELECT count(*) FROM sync_get_user_notes(regress.u(1), '{irish}')) AS notes_omitted,
       (SELECT count(*) FROM sync_get_user_notes(regress.u(1), '{irish}', NULL, NULL)) AS notes_null,
       (SELECT count(*) FROM sync_get_user_references(regress.u(1), '{irish}', NULL, NULL)) AS refs_null,
       (SELECT count(*) FROM sync_notes_page(regress.u(1), '{irish}')) AS notes_page_omitted,
       (SELECT count(*) FROM sync_references_page(regress.u(1), '{irish}', p_limit => NULL))
           AS refs_page_null,
       (SELECT count(*) FROM sync_notes_page(regress.u(1), '{irish}', p_limit => 1500)) AS notes_page_1500;
ROLLBACK;

-- genre_sync.max_page_size bounds p_limit; values below 1 are rejected.
SHOW genre_sync.max_page_size;
SET genre_sync.max_page_size = 5;
SELECT regress.outcome('SELECT count(*) FROM sync_notes_page(regress.u(8), NULL, p_limit => 5)') AS limit_5,
       regress.outcome('SELECT count(*) FROM sync_notes_page(regress.u(8), NULL, p_limit => 6)') AS limit_6,
       regress.outcome('SELECT count(*) FROM sync_notes_page(regress.u(8), NULL, p_limit => NULL)')
           AS limit_null;
SELECT regress.outcome('SELECT count(*) FROM sync_get_user_references(regress.u(8), ''{irish}'', NULL, 6)')
    AS dropin_limit_6;
SET genre_sync.max_page_size = 20000;
SELECT regress.outcome('SELECT count(*) FROM sync_tunes_page(regress.u(8), NULL, p_limit => 15000)')
    AS limit_15000;
SET genre_sync.max_page_size = 0;
SET genre_sync.max_page_size = -1;
SHOW genre_sync.max_page_size;
RESET genre_sync.max_page_size;
SHOW genre_sync.max_page_size;

-- genre_sync.keep_freed_heap is read when a backend loads the library (it
-- sets the process's allocator): the server's configuration sets it, a
-- session cannot.
SHOW genre_sync.keep_freed_heap;
SET genre_sync.keep_freed_heap = off;
SHOW genre_sync.keep_freed_heap;
