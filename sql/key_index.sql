-- The key index (1.2): after sync_enable_key_index() the note and reference
-- pages read sync_key_note / sync_key_reference, one stream per genre (at
-- most 8 genres) or by time (more). Full walks of the page functions and of
-- sync_pull must equal the seed-semantics reference (regress.ref_page) row
-- for row and in order, before and after every kind of write, and the key
-- indexes must really be read (so a fallback to the app tables cannot pass
-- for them). Everything runs in one transaction that is rolled back: the
-- fixture is shared with later tests.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
BEGIN;

-- The rows written below are stamped in 2023, the fixture's newest row is
-- from 2024; the horizon (this transaction's start) is later than both.
SELECT sync_safe_horizon() > (SELECT max(last_modified_at)
                              FROM (SELECT last_modified_at FROM note
                                    UNION ALL SELECT last_modified_at FROM reference) AS s)
       AS horizon_after_fixture;

-- Partition bounds of notes and references, read from the app tables, to
-- compare with those read from the keys below.
CREATE FUNCTION pg_temp.all_bounds()
RETURNS TABLE (tbl text, user_k int, genres text[], parts int, after_ts timestamptz, part int,
               after_cursor text, until_cursor text, estimated_rows bigint)
LANGUAGE sql AS $$
    SELECT t.tbl, u.k, g.genres, p.parts, a.ts, b.part,
           -- without the moves stamp, the horizon's at the call
           regexp_replace(b.after_cursor, '^(v2/[^/]*/)[0-9]+/', '\1'), b.until_cursor,
           b.estimated_rows
    FROM (VALUES ('note'), ('reference')) AS t(tbl)
    CROSS JOIN (VALUES (1), (2), (8)) AS u(k)
    CROSS JOIN (VALUES (NULL::text[]), ('{irish,scottish}'), (regress.genres_with_tunes())) AS g(genres)
    CROSS JOIN (VALUES (1), (3), (7)) AS p(parts)
    CROSS JOIN (VALUES (NULL::timestamptz), ('2024-03-01')) AS a(ts)
    CROSS JOIN LATERAL sync_partition_bounds(t.tbl, regress.u(u.k), g.genres, p.parts, a.ts) AS b
$$;
CREATE TEMP TABLE bounds_from_rows AS SELECT * FROM pg_temp.all_bounds();

-- Off until enabled: no key, nothing in use.
SELECT * FROM sync_check_key_index();
SELECT * FROM sync_enable_key_index();
SELECT * FROM sync_check_key_index();

-- The bounds read the keys now (the key tables are scanned, the app tables
-- are not), and are the same: on tables this small every user's rows are
-- read whole and cut exactly.
CREATE FUNCTION pg_temp.scans(p_tables regclass[]) RETURNS bigint LANGUAGE sql AS $$
    SELECT sum(pg_stat_get_xact_numscans(r))::bigint
    FROM (SELECT unnest(p_tables) UNION ALL
          SELECT indexrelid FROM pg_index WHERE indrelid = ANY (p_tables)) AS s(r)
$$;
SELECT pg_temp.scans('{note,reference}') AS app_scans_before,
       pg_temp.scans('{sync_key_note,sync_key_reference}') AS key_scans_before \gset
CREATE TEMP TABLE bounds_from_keys AS SELECT * FROM pg_temp.all_bounds();
SELECT pg_temp.scans('{note,reference}') = :app_scans_before AS app_tables_unread,
       pg_temp.scans('{sync_key_note,sync_key_reference}') > :key_scans_before AS keys_read;
SELECT (SELECT count(*) FROM bounds_from_rows) AS bounds,
       (SELECT count(*) FROM ((TABLE bounds_from_rows EXCEPT ALL TABLE bounds_from_keys)
                              UNION ALL (TABLE bounds_from_keys EXCEPT ALL TABLE bounds_from_rows)) d)
           AS differences;
-- The indexes a deployment has: tunes of more than 8 genres walk tune's own
-- (last_modified_at, id) index.
CREATE TEMP TABLE created_indexes AS SELECT * FROM sync_create_indexes();
SELECT count(*) FILTER (WHERE NOT present) AS missing FROM sync_required_indexes();

-- The calls compared. Genre lists with at most 8 distinct non-NULL genres
-- read by genre, longer ones by time; NULL is the effective genres (user 1:
-- 4, user 8: 13). Users 1 and 2 have private tunes, and rows owned by other
-- users are in every table. Starts and until bounds are (timestamp, id);
-- a NULL id is a timestamp-only bound (sync_pull, which takes cursors, gets
-- the equivalent id: the nil uuid after, the max uuid until).
CREATE TEMP TABLE key_case (
    case_no serial PRIMARY KEY, label text, user_k int, genres text[],
    after_ts timestamp, after_id uuid, until_ts timestamp, until_id uuid);
INSERT INTO key_case (label, user_k, genres, after_ts, after_id, until_ts, until_id) VALUES
    ('1 genre', 1, '{irish}', NULL, NULL, NULL, NULL),
    ('2 genres', 2, '{scottish,oldtime}', NULL, NULL, NULL, NULL),
    ('duplicates and NULLs', 1, ARRAY['irish', NULL, 'klezmer', 'irish', NULL], NULL, NULL, NULL, NULL),
    ('empty: user 1 private', 1, '{}', NULL, NULL, NULL, NULL),
    ('empty: user 2 private', 2, '{}', NULL, NULL, NULL, NULL),
    ('effective: 4 genres', 1, NULL, NULL, NULL, NULL, NULL),
    ('effective: 3 genres', 2, NULL, NULL, NULL, NULL, NULL),
    ('effective: 13 genres', 8, NULL, NULL, NULL, NULL, NULL),
    ('unknown genre', 3, '{no-such-genre}', NULL, NULL, NULL, NULL),
    ('8 genres', 2, (regress.genres_with_tunes())[1:8], NULL, NULL, NULL, NULL),
    ('8 distinct of 10', 1, (regress.genres_with_tunes())[1:8] || ARRAY['irish', NULL], NULL, NULL, NULL, NULL),
    ('9 genres', 1, (regress.genres_with_tunes())[1:9], NULL, NULL, NULL, NULL),
    ('all 13', 8, regress.genres_with_tunes() || 'Zydeco'::text, NULL, NULL, NULL, NULL),
    ('2 genres, after tie_a', 8, '{irish,scottish}', regress.tie_a(), NULL, NULL, NULL),
    ('all, inside tie_a', 1, regress.genres_with_tunes(), regress.tie_a(),
     '80000000-0000-0000-0000-000000000000', NULL, NULL),
    ('effective, until tie_b', 2, NULL, NULL, NULL, regress.tie_b(), NULL),
    ('2 genres, until in tie_b', 1, '{irish,Galician}', '2024-03-01', NULL, regress.tie_b(),
     '7fffffff-ffff-ffff-ffff-ffffffffffff'),
    ('all, range', 8, regress.genres_with_tunes(), regress.tie_a(), NULL, regress.tie_b(),
     '7fffffff-ffff-ffff-ffff-ffffffffffff');

-- The access a call gets while the key index is in use.
CREATE FUNCTION pg_temp.access(p_user uuid, p_genres text[]) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN count(DISTINCT g) <= 8 THEN 'by genre' ELSE 'by time' END
    FROM unnest(coalesce(p_genres, seed.effective_genres(p_user))) AS g
$$;

CREATE FUNCTION pg_temp.cursor(p_ts timestamp, p_id uuid) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'v1:' || (extract(epoch FROM p_ts) * 1000000)::bigint || ':' || p_id
$$;

-- A v2 cursor after (p_ts, p_id) of a replica that holds the filter's rows
-- up to there (genres normalized; every move seen: moves stamp far ahead).
CREATE FUNCTION pg_temp.after_cursor(p_ts timestamp, p_id uuid, p_user uuid, p_genres text[])
RETURNS text LANGUAGE sql AS $$
    SELECT format('v2/%s:%s/9000000000000000/-/%s', (extract(epoch FROM p_ts) * 1000000)::bigint,
                  p_id, (SELECT coalesce(string_agg(g || ',', '' ORDER BY g COLLATE "C"), '')
                         FROM (SELECT DISTINCT g FROM unnest(coalesce(p_genres, seed.effective_genres(p_user))) g
                               WHERE g IS NOT NULL) d))
$$;

-- A walk of a page function from (after) to (until), page after page.
CREATE FUNCTION pg_temp.page_walk(p_table text, p_user uuid, p_genres text[], p_size int,
                                  p_after_ts timestamp, p_after_id uuid,
                                  p_until_ts timestamp, p_until_id uuid)
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    v_rows text[] := '{}';
    v_page record;
    v_ts timestamp := p_after_ts;
    v_id uuid := p_after_id;
BEGIN
    LOOP
        v_page := regress.page_rows(p_table, p_user, p_genres, v_ts, v_id, p_size, p_until_ts,
                                    p_until_id);
        EXIT WHEN cardinality(v_page.rows) = 0;
        IF cardinality(v_page.rows) > p_size OR cardinality(v_rows) > 100000 THEN
            RAISE EXCEPTION 'bad walk of % at %', p_table, cardinality(v_rows);
        END IF;
        v_rows := v_rows || v_page.rows;
        v_ts := v_page.last_ts;
        v_id := v_page.last_id;
    END LOOP;
    RETURN v_rows;
END
$$;

-- A pull through sync_pull until has_more is false; rows in their text form.
CREATE FUNCTION pg_temp.pull_walk(p_table text, p_user uuid, p_genres text[], p_size int,
                                  p_cursor text, p_until text)
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    v_rows text[] := '{}';
    v_page jsonb;
    v_cursor text := p_cursor;
BEGIN
    LOOP
        v_page := sync_pull(p_table, p_user, p_genres, v_cursor, p_size, p_until);
        v_rows := v_rows || CASE p_table
            WHEN 'note' THEN ARRAY(SELECT jsonb_populate_record(NULL::note, r)::text
                                   FROM jsonb_array_elements(v_page->'rows') WITH ORDINALITY AS e(r, n)
                                   ORDER BY n)
            ELSE ARRAY(SELECT jsonb_populate_record(NULL::reference, r)::text
                       FROM jsonb_array_elements(v_page->'rows') WITH ORDINALITY AS e(r, n)
                       ORDER BY n) END;
        IF (v_page->>'row_count')::int > p_size OR cardinality(v_rows) > 100000 THEN
            RAISE EXCEPTION 'bad pull of % at %', p_table, cardinality(v_rows);
        END IF;
        v_cursor := v_page->>'next_cursor';
        EXIT WHEN NOT (v_page->>'has_more')::boolean;
    END LOOP;
    RETURN v_rows;
END
$$;

-- Every case, both tables, each page size, by page walk and by pull, against
-- the reference rows of the same range.
CREATE FUNCTION pg_temp.walk_results(p_sizes int[])
RETURNS TABLE (case_no int, tbl text, access text, how text, size int, got text[],
               expected text[])
LANGUAGE sql AS $$
    SELECT c.case_no, t.tbl, pg_temp.access(regress.u(c.user_k), c.genres), m.how, s.size,
           CASE m.how
               WHEN 'page' THEN pg_temp.page_walk(t.tbl || 's', regress.u(c.user_k), c.genres,
                                                  s.size, c.after_ts, c.after_id, c.until_ts,
                                                  c.until_id)
               ELSE pg_temp.pull_walk(t.tbl, regress.u(c.user_k), c.genres, s.size,
                                      CASE WHEN c.after_ts IS NOT NULL THEN pg_temp.after_cursor(
                                          c.after_ts, coalesce(c.after_id,
                                          '00000000-0000-0000-0000-000000000000'),
                                          regress.u(c.user_k), c.genres) END,
                                      CASE WHEN c.until_ts IS NOT NULL THEN pg_temp.cursor(
                                          c.until_ts, coalesce(c.until_id,
                                          'ffffffff-ffff-ffff-ffff-ffffffffffff')) END)
           END,
           CASE m.how
               WHEN 'page' THEN regress.ref_page(t.tbl || 's', regress.u(c.user_k), c.genres,
                                                 c.after_ts, c.after_id, NULL, c.until_ts,
                                                 c.until_id)
               ELSE regress.ref_page(t.tbl || 's', regress.u(c.user_k), c.genres, c.after_ts,
                                     CASE WHEN c.after_ts IS NOT NULL THEN coalesce(c.after_id,
                                         '00000000-0000-0000-0000-000000000000') END,
                                     NULL, c.until_ts,
                                     CASE WHEN c.until_ts IS NOT NULL THEN coalesce(c.until_id,
                                         'ffffffff-ffff-ffff-ffff-ffffffffffff') END)
           END
    FROM key_case c
    CROSS JOIN (VALUES ('note'), ('reference')) AS t(tbl)
    CROSS JOIN unnest(p_sizes) AS s(size)
    CROSS JOIN (VALUES ('page'), ('pull')) AS m(how)
$$;

CREATE FUNCTION pg_temp.walks(p_sizes int[])
RETURNS TABLE (tbl text, access text, how text, walks bigint, rows_expected bigint,
               mismatches bigint)
LANGUAGE sql AS $$
    SELECT tbl, access, how, count(*), sum(cardinality(expected)),
           count(*) FILTER (WHERE got IS DISTINCT FROM expected)
    FROM pg_temp.walk_results(p_sizes) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
$$;

-- The scans of the key indexes so far in this transaction.
CREATE FUNCTION pg_temp.key_scans()
RETURNS TABLE (tbl text, genre_idx bigint, private_idx bigint, time_idx bigint)
LANGUAGE sql AS $$
    SELECT t, pg_stat_get_xact_numscans(format('sync_key_%s_genre_idx', t)::regclass),
           pg_stat_get_xact_numscans(format('sync_key_%s_private_idx', t)::regclass),
           pg_stat_get_xact_numscans(format('sync_key_%s_time_idx', t)::regclass)
    FROM unnest(ARRAY['note', 'reference']) AS t
$$;
CREATE TEMP TABLE scans_before AS SELECT * FROM pg_temp.key_scans();
CREATE FUNCTION pg_temp.scans_grew()
RETURNS TABLE (tbl text, genre_idx boolean, private_idx boolean, time_idx boolean)
LANGUAGE sql AS $$
    SELECT a.tbl, a.genre_idx > b.genre_idx, a.private_idx > b.private_idx, a.time_idx > b.time_idx
    FROM pg_temp.key_scans() a JOIN scans_before b USING (tbl) ORDER BY 1
$$;
CREATE FUNCTION pg_temp.reset_scans() RETURNS void LANGUAGE sql AS $$
    DELETE FROM scans_before;
    INSERT INTO scans_before SELECT * FROM pg_temp.key_scans();
$$;

-- After a write: the check (all zero) and the walks at two page sizes.
CREATE FUNCTION pg_temp.after_write(p_step text)
RETURNS TABLE (step text, enabled boolean, damaged bigint, walks bigint, rows_expected bigint,
               mismatches bigint)
LANGUAGE sql AS $$
    SELECT p_step,
           (SELECT bool_and(c.enabled) FROM sync_check_key_index() c),
           (SELECT sum(c.missing + c.wrong + c.extra) FROM sync_check_key_index() c),
           sum(w.walks), sum(w.rows_expected), sum(w.mismatches)
    FROM pg_temp.walks('{3,1000}') AS w
$$;

-- Every case at page sizes 1, 7 and 1000: all three key indexes of both
-- tables are read. Per case, the reference rows of each table (page walks; pulls take the
-- equivalent cursors), and how many of its walks differ from them.
SELECT pg_temp.reset_scans();
CREATE TEMP TABLE first_walks AS SELECT * FROM pg_temp.walk_results('{1,7,1000}');
SELECT * FROM pg_temp.scans_grew();
SELECT c.case_no, c.label, w.access,
       max(cardinality(w.expected)) FILTER (WHERE w.tbl = 'note' AND w.how = 'page') AS notes,
       max(cardinality(w.expected)) FILTER (WHERE w.tbl = 'reference' AND w.how = 'page') AS refs,
       count(*) AS walks, count(*) FILTER (WHERE w.got IS DISTINCT FROM w.expected) AS mismatches
FROM key_case c JOIN first_walks w USING (case_no)
GROUP BY c.case_no, c.label, w.access ORDER BY c.case_no;
SELECT tbl, how, size, count(*) AS walks, sum(cardinality(expected)) AS rows_expected,
       count(*) FILTER (WHERE got IS DISTINCT FROM expected) AS mismatches
FROM first_walks GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- Tunes carry their genre: with the key index on, a user with at most 8
-- genres reads them as streams from its two indexes on tune. Walks from
-- scratch (deleted tunes from the second page on, as the contract says) and
-- incremental ones equal the reference for every user and genre list.
-- (On a table this small a stream would rather walk tune's own time index
-- and filter; without it, the two key indexes are the only ordered paths, so
-- their scans show which SQL ran. Before the writes below: an index built in
-- a transaction that broke HOT chains is usable only after it.)
SAVEPOINT tunes;
DROP INDEX genre_sync_tune_last_modified_at_id_idx;
SELECT pg_stat_get_xact_numscans('genre_sync_tune_genre_key_idx'::regclass) AS genre_scans_before,
       pg_stat_get_xact_numscans('genre_sync_tune_private_key_idx'::regclass) AS private_scans_before;
SELECT count(*) AS walks, sum(cardinality(expected)) AS rows_expected,
       count(*) FILTER (WHERE got IS DISTINCT FROM expected) AS mismatches
FROM (SELECT (SELECT coalesce(array_agg(x ORDER BY w.page_no, e.o), '{}')
              FROM regress.walk('tunes', u.id, g.genres, sz.n, a.ts) AS w,
                   unnest(w.rows) WITH ORDINALITY AS e(x, o)) AS got,
             regress.expected_walk('tunes', u.id, g.genres, sz.n, a.ts) AS expected
      FROM regress.users u
      CROSS JOIN (VALUES ('{irish}'::text[]), ('{irish,Galician,NULL,irish}'), ('{}'),
                         (NULL), ('{irish,scottish,oldtime,breton,contra,klezmer,shanty,Galician}'))
                 AS g(genres)
      CROSS JOIN (VALUES (1), (7), (1000)) AS sz(n)
      CROSS JOIN (VALUES (NULL::timestamptz), ('2024-03-01'::timestamptz)) AS a(ts)) AS c;
SELECT pg_stat_get_xact_numscans('genre_sync_tune_genre_key_idx'::regclass) > 0 AS genre_index_read,
       pg_stat_get_xact_numscans('genre_sync_tune_private_key_idx'::regclass) > 0 AS private_index_read;
ROLLBACK TO SAVEPOINT tunes;

-- A run of equal timestamps (one bulk write stamps thousands of rows alike),
-- walked by time. A merge join of keys and rows that merges on
-- last_modified_at alone rescans the run for every key; a lookup by
-- (last_modified_at, id) through an index on last_modified_at alone reads
-- the run for every key. A generic plan did the first with the seed's
-- single-column note index. So the pages merge-join keys with rows read in
-- a subquery ordered by (last_modified_at, id), which only the table's
-- (last_modified_at, id) index delivers, and fetch each key's row by primary
-- key without that index: with our index alone, with the seed's beside it,
-- and with the seed's alone. 400 notes stamped alike, walked whole and up
-- to the middle of the run at pages of 1 and 7: the index entries read stay
-- within twice the notes in the walked range (versions earlier tests left
-- dead may be read too), and the indexes that read at least an entry a row
-- (named by their columns) show the access. Seen failing: with the rows
-- joined to the table itself instead of the ordered subquery
-- (core/sync_query.cpp, keys_by_time_merged), "ours and the seed's" read
-- "last_modified_at" and were not linear.
SAVEPOINT equal_stamps;
INSERT INTO note (id, user_ref, tune_ref, note_text, last_modified_at)
SELECT md5('run-note-' || i)::uuid, NULL, regress.tune(CASE WHEN i % 2 = 0 THEN 50 ELSE 64 END),
       'run ' || i, '2023-05-01 12:00:00'
FROM generate_series(1, 400) AS i;
-- Index entries read on note, per index: "primary key" or its columns.
CREATE FUNCTION pg_temp.note_index_reads() RETURNS jsonb
LANGUAGE sql AS $$
    SELECT jsonb_object_agg(
               CASE WHEN i.indisprimary THEN 'primary key'
                    ELSE (SELECT string_agg(a.attname, ', ' ORDER BY k.o)
                          FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, o)
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
               END,
               pg_stat_get_xact_tuples_returned(i.indexrelid))
    FROM pg_index i WHERE i.indrelid = 'note'::regclass
$$;
CREATE FUNCTION pg_temp.counted_walk(p_size int, p_until_id uuid, OUT got text[],
                                     OUT index_entries bigint, OUT read_by text)
LANGUAGE plpgsql AS $$
DECLARE
    v_before jsonb;
    v_after jsonb;
BEGIN
    -- Not inlined: the counts are read before and after the walk.
    EXECUTE 'SELECT pg_temp.note_index_reads()' INTO v_before;
    got := pg_temp.page_walk('notes', regress.u(8), regress.genres_with_tunes(), p_size, NULL, NULL,
                             CASE WHEN p_until_id IS NOT NULL THEN timestamp '2023-05-01 12:00:00' END,
                             p_until_id);
    EXECUTE 'SELECT pg_temp.note_index_reads()' INTO v_after;
    -- Planning reads an entry or two; an access reads one or more a row.
    SELECT sum(d.reads), string_agg(d.name, ' and ' ORDER BY d.name)
               FILTER (WHERE d.reads >= cardinality(got))
    INTO index_entries, read_by
    FROM (SELECT a.key AS name, a.value::bigint - (v_before ->> a.key)::bigint AS reads
          FROM jsonb_each_text(v_after) AS a) AS d;
END
$$;
CREATE FUNCTION pg_temp.run_walks(p_indexes text)
RETURNS TABLE (indexes text, access text, walk text, size int, rows int, read_by text,
               linear boolean, same_rows boolean)
LANGUAGE sql AS $$
    SELECT p_indexes, pg_temp.access(regress.u(8), regress.genres_with_tunes()), u.label, s.size,
           cardinality(w.got), w.read_by,
           w.index_entries <= 2 * (SELECT count(*) FROM note n
                                   WHERE u.until_id IS NULL
                                      OR (n.last_modified_at, n.id) <= (u.until_ts, u.until_id)),
           w.got IS NOT DISTINCT FROM regress.ref_page('notes', regress.u(8),
                                                       regress.genres_with_tunes(), NULL, NULL,
                                                       NULL, u.until_ts, u.until_id)
    FROM (VALUES ('whole', NULL::timestamp, NULL::uuid),
                 ('to mid-run', '2023-05-01 12:00:00', '80000000-0000-0000-0000-000000000000'))
             AS u(label, until_ts, until_id)
    CROSS JOIN (VALUES (1), (7)) AS s(size)
    CROSS JOIN LATERAL pg_temp.counted_walk(s.size, u.until_id) AS w
    ORDER BY u.label DESC, s.size
$$;
-- Generic plans, as a sync worker's long session ends up with: planned
-- once, without the actual values.
SET LOCAL plan_cache_mode = force_generic_plan;
SELECT * FROM pg_temp.run_walks('ours');
CREATE INDEX regress_note_time ON note (last_modified_at);
SELECT * FROM pg_temp.run_walks('ours and the seed''s');
DROP INDEX genre_sync_note_last_modified_at_id_idx;
SELECT * FROM pg_temp.run_walks('the seed''s');
RESET plan_cache_mode;
ROLLBACK TO SAVEPOINT equal_stamps;

-- Writes of every kind keep the keys exact. Notes and references of public
-- tunes (tune 50 irish, tune 64 oldtime), of user 1's private tune 1, owned
-- by the system, user 1 and user 2, and without a tune.
INSERT INTO note (id, user_ref, tune_ref, note_text, last_modified_at)
VALUES (md5('key-note-1')::uuid, NULL, regress.tune(50), 'k1', '2023-03-01 10:00:00.000001'),
       (md5('key-note-2')::uuid, regress.u(1), regress.tune(1), 'k2', '2023-03-01 10:00:00.000001'),
       (md5('key-note-3')::uuid, regress.u(2), regress.tune(50), 'k3', '2023-03-02 10:00:00'),
       (md5('key-note-4')::uuid, NULL, NULL, 'k4', '2023-03-03 10:00:00'),
       (md5('key-note-5')::uuid, NULL, regress.tune(64), 'k5', '2023-03-04 10:00:00');
INSERT INTO reference (id, url, user_ref, tune_ref, last_modified_at)
SELECT md5('key-reference-' || i)::uuid, 'https://example.org/key/' || i,
       CASE WHEN i % 3 = 0 THEN regress.u(1 + i % 2) END,
       regress.tune(CASE WHEN i % 2 = 0 THEN 50 ELSE 1 END),
       timestamp '2023-04-01' + i * interval '1 hour'
FROM generate_series(1, 6) AS i;
SELECT * FROM pg_temp.after_write('insert notes and references');

INSERT INTO note (id, user_ref, tune_ref, note_text, last_modified_at)
VALUES (md5('key-note-1')::uuid, regress.u(1), regress.tune(64), 'upserted', '2023-03-05 10:00:00'),
       (md5('key-note-6')::uuid, NULL, regress.tune(50), 'k6', '2023-03-06 10:00:00')
ON CONFLICT (id) DO UPDATE
SET user_ref = excluded.user_ref, tune_ref = excluded.tune_ref, note_text = excluded.note_text,
    last_modified_at = excluded.last_modified_at;
INSERT INTO reference (id, url, tune_ref, last_modified_at)
VALUES (md5('key-reference-1')::uuid, 'https://example.org/key/upserted', regress.tune(64),
        '2023-04-02 10:00:00')
ON CONFLICT (id) DO UPDATE SET tune_ref = excluded.tune_ref, last_modified_at = excluded.last_modified_at;
SELECT * FROM pg_temp.after_write('insert on conflict do update');

UPDATE note SET id = md5('key-note-2-renamed')::uuid WHERE id = md5('key-note-2')::uuid;
UPDATE reference SET id = md5('key-reference-2-renamed')::uuid, last_modified_at = '2023-04-10 10:00:00'
WHERE id = md5('key-reference-2')::uuid;
SELECT * FROM pg_temp.after_write('update changing id');

UPDATE note SET tune_ref = NULL WHERE id IN (md5('key-note-3')::uuid, md5('key-note-5')::uuid);
UPDATE reference SET tune_ref = NULL WHERE id = md5('key-reference-4')::uuid;
SELECT * FROM pg_temp.after_write('tune_ref to NULL');
UPDATE note SET tune_ref = regress.tune(50) WHERE id IN (md5('key-note-3')::uuid, md5('key-note-5')::uuid);
UPDATE reference SET tune_ref = regress.tune(1) WHERE id = md5('key-reference-4')::uuid;
SELECT * FROM pg_temp.after_write('tune_ref back');

UPDATE note SET user_ref = CASE WHEN user_ref IS NULL THEN regress.u(1) END
WHERE id IN (md5('key-note-3')::uuid, md5('key-note-5')::uuid, md5('note' || 9)::uuid);
UPDATE reference SET user_ref = regress.u(2) WHERE id = md5('reference' || 1)::uuid;
SELECT * FROM pg_temp.after_write('user_ref changes');

UPDATE note SET last_modified_at = '2023-02-01 00:00:00' WHERE id = md5('note' || 10)::uuid;
UPDATE reference SET last_modified_at = last_modified_at - interval '1 year'
WHERE tune_ref = regress.tune(64);
SELECT * FROM pg_temp.after_write('update moving rows in time');

DELETE FROM note WHERE id IN (md5('key-note-4')::uuid, md5('key-note-6')::uuid, md5('note' || 11)::uuid);
DELETE FROM reference WHERE tune_ref = regress.tune(4);
SELECT * FROM pg_temp.after_write('delete');

-- Tunes: a genre change, several tunes in one statement, privacy, deletion.
UPDATE tune SET genre = 'irish' WHERE id = regress.tune(64);
SELECT * FROM pg_temp.after_write('tune genre changed');
UPDATE tune SET genre = CASE id WHEN regress.tune(179) THEN 'scottish' ELSE NULL END
WHERE id IN (regress.tune(179), regress.tune(180));
SELECT * FROM pg_temp.after_write('two tunes: new genre, no genre');
UPDATE tune SET private_for = regress.u(1) WHERE id = regress.tune(75);
SELECT * FROM pg_temp.after_write('tune made private');
UPDATE tune SET private_for = NULL WHERE id IN (regress.tune(75), regress.tune(1));
SELECT * FROM pg_temp.after_write('tunes made public');
UPDATE tune SET deleted = true WHERE id IN (regress.tune(151), regress.tune(50));
SELECT * FROM pg_temp.after_write('tunes deleted');
UPDATE tune SET deleted = false WHERE id IN (regress.tune(151), regress.tune(17));
SELECT * FROM pg_temp.after_write('tunes undeleted');
-- Updates of nothing a key holds leave the key rows as they were.
CREATE TEMP TABLE key_versions AS
SELECT 'note' AS tbl, id, ctid::text AS version FROM sync_key_note
UNION ALL SELECT 'reference', id, ctid::text FROM sync_key_reference;
UPDATE note SET note_text = note_text || ' edited', favorite = NOT coalesce(favorite, false)
WHERE tune_ref = regress.tune(64);
UPDATE reference SET comment = 'edited', deleted = NOT deleted WHERE tune_ref = regress.tune(64);
UPDATE tune SET title = 'retitled', last_modified_at = '2023-07-01' WHERE genre = 'irish';
SELECT tbl, count(*) AS keys, count(*) FILTER (WHERE v.version <> k.version) AS rewritten
FROM key_versions v
JOIN (SELECT 'note' AS tbl, id, ctid::text AS version FROM sync_key_note
      UNION ALL SELECT 'reference', id, ctid::text FROM sync_key_reference) AS k USING (tbl, id)
GROUP BY tbl ORDER BY tbl;
SELECT * FROM pg_temp.after_write('updates of other columns');

-- Under session_replication_role = replica (logical replication's apply):
-- the triggers fire ALWAYS, so the keys follow.
SET session_replication_role = replica;
INSERT INTO note (id, tune_ref, note_text, last_modified_at)
VALUES (md5('key-note-replica')::uuid, regress.tune(3), 'replica', '2023-05-01 10:00:00');
UPDATE reference SET tune_ref = regress.tune(3) WHERE id = md5('key-reference-6')::uuid;
UPDATE tune SET genre = 'klezmer' WHERE id = regress.tune(3);
DELETE FROM note WHERE id = md5('note' || 12)::uuid;
RESET session_replication_role;
SELECT * FROM pg_temp.after_write('writes as replica');

-- TRUNCATE empties the keys with the rows (and a rollback brings both back).
SAVEPOINT before_truncate;
TRUNCATE note;
SELECT * FROM sync_check_key_index();
SELECT * FROM pg_temp.after_write('truncate note');
ROLLBACK TO SAVEPOINT before_truncate;
SELECT * FROM pg_temp.after_write('truncate rolled back');

-- The check finds damage: a key missing, a key with another genre, a key
-- without a row.
SAVEPOINT before_damage;
DELETE FROM sync_key_note WHERE id = md5('note' || 13)::uuid;
UPDATE sync_key_reference SET genre = 'nordic' WHERE id = md5('reference' || 14)::uuid;
UPDATE sync_key_reference SET tune_live = NOT tune_live WHERE id = md5('reference' || 15)::uuid;
INSERT INTO sync_key_note VALUES (md5('no-such-note')::uuid, '2023-01-01', NULL, NULL, 'irish', NULL, true);
SELECT * FROM sync_check_key_index();
-- The pages follow the keys, so they show the damage too.
SELECT tbl, access, how, mismatches FROM pg_temp.walks('{1000}') WHERE mismatches > 0;
ROLLBACK TO SAVEPOINT before_damage;

-- After all those writes, the indexes are still what the pages read.
SELECT pg_temp.reset_scans();
SELECT * FROM pg_temp.walks('{5}');
SELECT * FROM pg_temp.scans_grew();

-- One trigger disabled: note's key index is out of use (and a write goes
-- unrecorded), reference's still in use; the pages stay exact.
ALTER TABLE note DISABLE TRIGGER genre_sync_key_index_update;
UPDATE note SET last_modified_at = '2023-06-01 00:00:00' WHERE id = md5('note' || 14)::uuid;
SELECT * FROM sync_check_key_index();
SELECT pg_temp.reset_scans();
SELECT * FROM pg_temp.walks('{3,1000}');
SELECT * FROM pg_temp.scans_grew();
-- Enabling again rebuilds the keys.
SELECT * FROM sync_enable_key_index();
SELECT * FROM sync_check_key_index();

-- The drop-ins read it too, their offset skipped over keys alone: the same
-- rows in the same order as the seed's SQL for every user, genre set, after
-- timestamp, and limits and offsets inside ties and past the end.
SELECT pg_temp.reset_scans();
SELECT d.tbl, count(*) AS cases, sum(cardinality(d.ref)) AS rows_compared,
       count(*) FILTER (WHERE d.ours IS DISTINCT FROM d.ref) AS mismatches
FROM (SELECT t.tbl,
             regress.dropin('public', t.tbl, u.id, regress.genres_for(g.name, u.id),
                            a.ts::timestamptz, lo.lim, lo.off) AS ours,
             regress.dropin('seed', t.tbl, u.id, regress.genres_for(g.name, u.id),
                            a.ts::timestamptz, lo.lim, lo.off) AS ref
      FROM regress.users u
      CROSS JOIN regress.genre_case g
      CROSS JOIN regress.after_case a
      CROSS JOIN (VALUES (1000, 0), (1, 0), (7, 5), (50, 1), (3, 1000), (1000, 700)) AS lo(lim, off)
      CROSS JOIN (VALUES ('notes'), ('references')) AS t(tbl)) AS d
GROUP BY d.tbl ORDER BY d.tbl;
SELECT * FROM pg_temp.scans_grew();

-- Who may not read the keys, or is subject to row security on a table the
-- keys stand in for, gets its pages' candidates from the keys read as the
-- extension's owner and its rows from the app tables with its own rights
-- (key_index_rls tests that split in depth). A role with the README's
-- grants (none on the key tables) gets its pages through the keys; with
-- SELECT on the key tables it reads them itself; with policies on note or
-- on tune its pages hide exactly what the reference query hides.
CREATE ROLE regress_key_reader;
GRANT USAGE ON SCHEMA regress, seed TO regress_key_reader;
GRANT SELECT ON genre, user_profile, tune, note, reference, playlist, playlist_tune,
    user_genre_selection TO regress_key_reader;
GRANT EXECUTE ON FUNCTION sync_notes_page(uuid, text[], timestamptz, uuid, integer, timestamptz, uuid),
    sync_references_page(uuid, text[], timestamptz, uuid, integer, timestamptz, uuid)
    TO regress_key_reader;
CREATE FUNCTION regress.key_reader_walks(p_genres text[])
RETURNS TABLE (tbl text, same_as_reference boolean, rows_expected int) LANGUAGE sql AS $$
    SELECT t, (SELECT coalesce(array_agg(x ORDER BY w.page_no, u.o), '{}')
               FROM regress.walk(t, regress.u(1), p_genres, 7) AS w,
                    unnest(w.rows) WITH ORDINALITY AS u(x, o))
              = regress.expected_walk(t, regress.u(1), p_genres, 7),
           cardinality(regress.expected_walk(t, regress.u(1), p_genres, 7))
    FROM unnest(ARRAY['notes', 'references']) AS t
$$;
SELECT pg_temp.reset_scans();
SET ROLE regress_key_reader;
SELECT * FROM regress.key_reader_walks('{irish,scottish}');
RESET ROLE;
SELECT * FROM pg_temp.scans_grew();
GRANT SELECT ON sync_key_note, sync_key_reference TO regress_key_reader;
SELECT pg_temp.reset_scans();
SET ROLE regress_key_reader;
SELECT * FROM regress.key_reader_walks('{irish,scottish}');
RESET ROLE;
SELECT * FROM pg_temp.scans_grew();
ALTER TABLE note ENABLE ROW LEVEL SECURITY;
CREATE POLICY regress_hide_system_notes ON note FOR SELECT USING (user_ref IS NOT NULL OR public);
ALTER TABLE tune ENABLE ROW LEVEL SECURITY;
CREATE POLICY regress_hide_irish ON tune FOR SELECT USING (genre IS DISTINCT FROM 'irish');
SELECT pg_temp.reset_scans();
SET ROLE regress_key_reader;
SELECT * FROM regress.key_reader_walks('{irish,scottish}');
SELECT * FROM regress.key_reader_walks(regress.genres_with_tunes());
-- More genres than streams, yet a small share of the tunes: the owner's keys
-- by time. (A user whose genres hold most tunes, as above, walks the tables
-- itself: the candidates would skip few rows.)
SELECT * FROM regress.key_reader_walks('{irish,scottish,gone1,gone2,gone3,gone4,gone5,gone6,gone7}');
RESET ROLE;
SELECT * FROM pg_temp.scans_grew();
DROP POLICY regress_hide_system_notes ON note;
DROP POLICY regress_hide_irish ON tune;
ALTER TABLE note DISABLE ROW LEVEL SECURITY;
ALTER TABLE tune DISABLE ROW LEVEL SECURITY;

-- Disabled: no triggers, no keys, no key index read, the pages unchanged.
SELECT sync_disable_key_index();
SELECT * FROM sync_check_key_index();
SELECT count(*) AS key_triggers FROM pg_trigger WHERE tgname LIKE 'genre_sync_key_index%';
SELECT pg_temp.reset_scans();
SELECT * FROM pg_temp.walks('{7,1000}');
SELECT * FROM pg_temp.scans_grew();

-- Only the tables' owner may turn it on or off.
CREATE ROLE regress_key_nonowner;
GRANT USAGE ON SCHEMA regress TO regress_key_nonowner;
GRANT EXECUTE ON FUNCTION sync_enable_key_index(), sync_disable_key_index(),
    sync_check_key_index() TO regress_key_nonowner;
GRANT SELECT ON tune, note, reference, sync_key_note, sync_key_reference TO regress_key_nonowner;
SET ROLE regress_key_nonowner;
SELECT regress.outcome('SELECT sync_enable_key_index()');
SELECT regress.outcome('SELECT sync_disable_key_index()');
SELECT table_name, enabled, key_rows FROM sync_check_key_index();
RESET ROLE;

SELECT sync_safe_horizon() > (SELECT max(last_modified_at)
                              FROM (SELECT last_modified_at FROM note
                                    UNION ALL SELECT last_modified_at FROM reference) AS s)
       AS horizon_after_all_rows;
ROLLBACK;

-- Nothing of it is left.
SELECT * FROM sync_check_key_index();
