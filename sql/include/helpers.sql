-- Helpers the pg_regress tests share: the case grids, each sync function's
-- rows in the order the function returned them, the reference page built
-- from the seed's SQL, a keyset walker and an error catcher.

-- Users 1..8 of the fixture and 9, a user id that exists nowhere.
CREATE TABLE regress.users AS
SELECT k, CASE WHEN k <= 8 THEN regress.u(k) ELSE md5('nobody')::uuid END AS id
FROM generate_series(1, 9) AS k;

-- Genre arrays; 'effective' is resolved per user by regress.genres_for.
CREATE TABLE regress.genre_case (name text PRIMARY KEY, genres text[]);
INSERT INTO regress.genre_case VALUES
    ('null', NULL),
    ('empty', '{}'),
    ('only_null', ARRAY[NULL]::text[]),
    ('with_nulls', ARRAY['irish', NULL, 'balkan', NULL]),
    ('unknown', ARRAY['no-such-genre', 'Irish']),
    ('two', ARRAY['scottish', 'oldtime']),
    ('duplicates', ARRAY['irish', 'irish', 'klezmer', 'irish']),
    ('mixed', ARRAY['Galician', 'nope', 'shanty']),
    ('all', regress.genres_with_tunes() || 'Zydeco'::text),
    ('effective', NULL);

CREATE FUNCTION regress.genres_for(p_case text, p_user uuid) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_case = 'effective' THEN seed.effective_genres(p_user)
                ELSE (SELECT genres FROM regress.genre_case WHERE name = p_case) END
$$;

-- Timestamps as text: cast when a test runs, so under that test's TimeZone.
-- Those without an offset are wall-clock values of the timestamp column.
CREATE TABLE regress.after_case (name text PRIMARY KEY, ts text);
INSERT INTO regress.after_case VALUES
    ('none', NULL),
    ('before_all', '2000-01-01 00:00:00'),
    ('after_all', '2030-01-01 00:00:00'),
    ('tie_a', regress.tie_a()::text),
    ('tie_a_minus_1us', (regress.tie_a() - interval '1 microsecond')::text),
    ('tie_b', regress.tie_b()::text),
    ('between_rows', (timestamp '2024-01-01' + 200 * interval '14 hours')::text),
    ('dst_gap_wall', '2024-03-10 02:40:00'),
    ('dst_gap_instant', '2024-03-10 07:20:00+00'),
    ('dst_repeat_wall', '2024-11-03 01:20:00'),
    ('dst_repeat_instant', '2024-11-03 05:40:00+00');

-- Keyset positions: a timestamp, with or without an id (ids need not exist).
CREATE TABLE regress.cursor_case (name text PRIMARY KEY, ts text, id uuid);
INSERT INTO regress.cursor_case VALUES
    ('none', NULL, NULL),
    ('before_all', '2000-01-01 00:00:00', NULL),
    ('after_all', '2030-01-01 00:00:00', NULL),
    ('tie_a_no_id', regress.tie_a()::text, NULL),
    ('tie_a_low_id', regress.tie_a()::text, '00000000-0000-0000-0000-000000000000'),
    ('tie_a_mid_id', regress.tie_a()::text, '80000000-0000-0000-0000-000000000000'),
    ('tie_a_high_id', regress.tie_a()::text, 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
    ('tie_b_mid_id', regress.tie_b()::text, '7fffffff-ffff-ffff-ffff-ffffffffffff'),
    ('tie_a_minus_1us', (regress.tie_a() - interval '1 microsecond')::text, NULL),
    ('between_rows', (timestamp '2024-01-01' + 200 * interval '14 hours')::text,
     '40000000-0000-0000-0000-000000000000');

-- Rows travel as text[]: each row's text form, in the order the function
-- returned them (a lone function scan hands rows on in the order it emits
-- them). Text forms are exact (microseconds, ids, every column), so one
-- array equality compares every column of every row and their order.

-- A drop-in function's rows (schema 'public' = the extension, 'seed' = the reference).
CREATE FUNCTION regress.dropin(p_schema text, p_table text, p_user uuid, p_genres text[],
                               p_after timestamptz, p_limit int, p_offset int)
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    v_rows text[];
BEGIN
    EXECUTE format('SELECT array(SELECT r::text FROM %I.%I($1, $2, $3, $4, $5) AS r)',
                   p_schema, 'sync_get_user_' || p_table)
        INTO v_rows USING p_user, p_genres, p_after, p_limit, p_offset;
    RETURN v_rows;
END
$$;

-- A keyset page of the extension, with the key of its last row (the next
-- page's cursor); p_table is 'notes', 'references' or 'tunes'.
CREATE FUNCTION regress.page_rows(p_table text, p_user uuid, p_genres text[],
                                  p_after_ts timestamptz, p_after_id uuid, p_limit int,
                                  p_until_ts timestamptz, p_until_id uuid,
                                  OUT rows text[], OUT last_ts timestamp, OUT last_id uuid)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT coalesce(array_agg(r::text), ''{}''), (array_agg(r.last_modified_at))[count(*)],
                           (array_agg(r.id))[count(*)]
                    FROM public.%I($1, $2, $3, $4, $5, $6, $7) AS r',
                   'sync_' || p_table || '_page')
        INTO rows, last_ts, last_id
        USING p_user, p_genres, p_after_ts, p_after_id, p_limit, p_until_ts, p_until_id;
END
$$;

CREATE FUNCTION regress.page(p_table text, p_user uuid, p_genres text[],
                             p_after_ts timestamptz, p_after_id uuid, p_limit int,
                             p_until_ts timestamptz DEFAULT NULL, p_until_id uuid DEFAULT NULL)
RETURNS text[] LANGUAGE sql AS $$
    SELECT (regress.page_rows(p_table, p_user, p_genres, p_after_ts, p_after_id, p_limit,
                              p_until_ts, p_until_id)).rows
$$;

-- The reference rows of a table, before any cursor: the seed's SQL over
-- every row ($1 user, $2 genres), or for tunes the tunes of a first sync when
-- $3 (the cursor timestamp) is NULL and of an incremental one otherwise.
CREATE FUNCTION regress.ref_source(p_table text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_table
        WHEN 'notes' THEN 'seed.sync_get_user_notes($1, $2, NULL, NULL, 0)'
        WHEN 'references' THEN 'seed.sync_get_user_references($1, $2, NULL, NULL, 0)'
        WHEN 'tunes' THEN 'seed.user_tunes($1, $2, CASE WHEN $3 IS NULL THEN NULL
                                                       ELSE ''-infinity''::timestamptz END, NULL, 0)'
    END
$$;

-- The same page from the contract's definition over the seed's SQL: the
-- reference rows (NULL genres = the reference effective genres) cut to
-- (after, until] on (last_modified_at, id), in key order.
CREATE FUNCTION regress.ref_page_rows(p_table text, p_user uuid, p_genres text[],
                                      p_after_ts timestamptz, p_after_id uuid, p_limit int,
                                      p_until_ts timestamptz, p_until_id uuid,
                                      OUT rows text[], OUT last_ts timestamp, OUT last_id uuid)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($q$
        SELECT coalesce(array_agg(b::text ORDER BY b.last_modified_at, b.id), '{}'),
               (array_agg(b.last_modified_at ORDER BY b.last_modified_at DESC, b.id DESC))[1],
               (array_agg(b.id ORDER BY b.last_modified_at DESC, b.id DESC))[1]
        FROM (SELECT s.* FROM %s AS s
              WHERE ($3 IS NULL OR s.last_modified_at > $3
                     OR ($4 IS NOT NULL AND s.last_modified_at = $3 AND s.id > $4))
                AND ($6 IS NULL OR s.last_modified_at < $6
                     OR (s.last_modified_at = $6 AND ($7 IS NULL OR s.id <= $7)))
              ORDER BY s.last_modified_at, s.id
              LIMIT $5) AS b
        $q$, regress.ref_source(p_table))
        INTO rows, last_ts, last_id
        USING p_user, coalesce(p_genres, seed.effective_genres(p_user)),
              p_after_ts, p_after_id, p_limit, p_until_ts, p_until_id;
END
$$;

CREATE FUNCTION regress.ref_page(p_table text, p_user uuid, p_genres text[],
                                 p_after_ts timestamptz, p_after_id uuid, p_limit int,
                                 p_until_ts timestamptz DEFAULT NULL, p_until_id uuid DEFAULT NULL)
RETURNS text[] LANGUAGE sql AS $$
    SELECT (regress.ref_page_rows(p_table, p_user, p_genres, p_after_ts, p_after_id, p_limit,
                                  p_until_ts, p_until_id)).rows
$$;

-- The keys of the first p_count reference rows of a first sync: cursors a
-- client could hold.
CREATE FUNCTION regress.ref_keys(p_table text, p_user uuid, p_genres text[], p_count int)
RETURNS TABLE (ord bigint, ts timestamp, id uuid) LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        'SELECT row_number() OVER (ORDER BY s.last_modified_at, s.id), s.last_modified_at, s.id
         FROM (SELECT * FROM %s AS s ORDER BY s.last_modified_at, s.id LIMIT $4) AS s',
        regress.ref_source(p_table))
        USING p_user, coalesce(p_genres, seed.effective_genres(p_user)), NULL::timestamptz, p_count;
END
$$;

-- Walks a page function as a client does, each page starting after the last
-- row of the previous one, until a page comes back empty.
CREATE FUNCTION regress.walk(p_table text, p_user uuid, p_genres text[], p_page_size int,
                             p_after timestamptz DEFAULT NULL)
RETURNS TABLE (page_no int, rows text[], last_ts timestamp, last_id uuid)
LANGUAGE plpgsql AS $$
DECLARE
    v_ts timestamptz := p_after;
    v_id uuid;
BEGIN
    page_no := 0;
    LOOP
        SELECT p.rows, p.last_ts, p.last_id INTO rows, last_ts, last_id
        FROM regress.page_rows(p_table, p_user, p_genres, v_ts, v_id, p_page_size, NULL, NULL) AS p;
        EXIT WHEN cardinality(rows) = 0;
        page_no := page_no + 1;
        RETURN NEXT;
        IF page_no > 5000 THEN
            RAISE EXCEPTION 'walk of % for % does not end', p_table, p_user;
        END IF;
        v_ts := last_ts;
        v_id := last_id;
    END LOOP;
END
$$;

-- What a walk must return: every reference row after the start, once, in
-- order. A tunes walk from scratch is a first sync for its first page only,
-- so deleted tunes appear from the second page on.
CREATE FUNCTION regress.expected_walk(p_table text, p_user uuid, p_genres text[], p_page_size int,
                                      p_after timestamptz DEFAULT NULL)
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    v_first record;
BEGIN
    IF p_table <> 'tunes' OR p_after IS NOT NULL THEN
        RETURN regress.ref_page(p_table, p_user, p_genres, p_after, NULL, NULL);
    END IF;
    v_first := regress.ref_page_rows(p_table, p_user, p_genres, NULL, NULL, p_page_size, NULL, NULL);
    IF cardinality(v_first.rows) < p_page_size THEN
        RETURN v_first.rows;
    END IF;
    RETURN v_first.rows || regress.ref_page(p_table, p_user, p_genres, v_first.last_ts,
                                            v_first.last_id, NULL);
END
$$;

-- 'ok: <first column>' or 'SQLSTATE: message' of one query.
CREATE FUNCTION regress.outcome(p_query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_result text;
BEGIN
    EXECUTE p_query INTO v_result;
    RETURN 'ok: ' || coalesce(v_result, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- auth.uid() of a Supabase-style app, for row-level security policies.
CREATE FUNCTION regress.jwt_uid() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')::uuid
$$;
