-- The SQL fuzzer's generators, reference results and driver (loaded by
-- tests/integration/fuzz_sql.sh into a database holding the pg_regress
-- fixture, the seed's SQL and the extension).
--
-- Each call is built as SQL text whose arguments are expressions, mostly
-- literals cast to the parameter types, so malformed text reaches the casts
-- as it would from a client. A call passes when it returns what the
-- reference returns (drop-ins: the seed's SQL; keyset pages: the contract's
-- query; genre functions: the seed's) or raises a documented SQLSTATE.

CREATE SCHEMA fuzz;

-- The SQLSTATEs a call may raise: the contract's argument errors, the
-- casts' errors for malformed text, and array limits.
CREATE TABLE fuzz.documented (sqlstate text PRIMARY KEY, meaning text);
INSERT INTO fuzz.documented VALUES
    ('22004', 'p_user_id must not be null'),
    ('22023', 'p_limit, p_offset, bound or p_table out of range'),
    ('2202E', 'multi-dimensional p_genre_ids'),
    ('22P02', 'malformed text of an argument or a cursor'),
    ('22007', 'malformed timestamp text'),
    ('22008', 'timestamp or cursor out of range'),
    ('22009', 'malformed time zone in timestamp text'),
    ('22003', 'integer text out of range'),
    ('54000', 'array larger than PostgreSQL allows');

CREATE TABLE fuzz.outcome (fn text, sqlstate text, calls int DEFAULT 1,
                           PRIMARY KEY (fn, sqlstate));
CREATE TABLE fuzz.failure (fn text, max_page_size text, call text, problem text);

CREATE FUNCTION fuzz.pick(p_choices text[]) RETURNS text LANGUAGE sql AS $$
    SELECT p_choices[1 + floor(random() * cardinality(p_choices))::int]
$$;

CREATE FUNCTION fuzz.chance(p float8) RETURNS boolean LANGUAGE sql AS $$
    SELECT random() < p
$$;

CREATE FUNCTION fuzz.random_uuid() RETURNS uuid LANGUAGE sql AS $$
    SELECT md5(random()::text)::uuid
$$;

-- Text that is no valid value of any type used here.
CREATE FUNCTION fuzz.junk() RETURNS text LANGUAGE sql AS $$
    SELECT fuzz.pick(ARRAY['', ' ', 'x', '-', '{', '}', '{{}', '[', 'NaN', 'null', '\', '''',
                           '0x10', '1e10', '99999999999', '-99999999999', '2024-13-45',
                           '{a,{b}}', 'infinity!', repeat('9', 400), repeat('é', 300),
                           E'\u2028', '{"a"', 'v1:', 'a,b'])
$$;

CREATE FUNCTION fuzz.user_arg() RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN fuzz.chance(0.08) THEN 'NULL'
                WHEN fuzz.chance(0.05) THEN quote_literal(fuzz.junk()) || '::uuid'
                ELSE quote_literal(fuzz.pick(ARRAY[
                         regress.u(1)::text, regress.u(2)::text, regress.u(3)::text,
                         regress.u(4)::text, regress.u(8)::text, fuzz.random_uuid()::text,
                         '00000000-0000-0000-0000-000000000000',
                         'ffffffff-ffff-ffff-ffff-ffffffffffff',
                         upper(regress.u(1)::text), '{' || regress.u(2) || '}'])) || '::uuid' END
$$;

-- Mostly genre subsets; now and then one of the hostile arrays (the huge
-- ones rarely: each costs about half a second).
CREATE FUNCTION fuzz.genres_arg() RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN fuzz.chance(0.5) THEN
                    quote_literal(coalesce((SELECT array_agg(g)::text
                                            FROM unnest(regress.genres_with_tunes() || 'Zydeco'::text) g
                                            WHERE random() < 0.4), '{}')) || '::text[]'
                WHEN fuzz.chance(0.003) THEN fuzz.pick(ARRAY[
                    '(SELECT array_agg(''g'' || i) FROM generate_series(1, 200000) i)',
                    '(SELECT array_agg(NULL::text) FROM generate_series(1, 50000))',
                    'ARRAY[repeat(''irish'', 200000)]'])
                ELSE fuzz.pick(ARRAY[
                    'NULL', 'NULL', '''{}''::text[]', 'ARRAY[NULL]::text[]',
                    'ARRAY[''irish'', NULL, ''balkan'', NULL]',
                    '''{{irish,scottish},{oldtime,cajun}}''::text[]',
                    '''{{{irish}}}''::text[]',
                    '''[5:6]={irish,klezmer}''::text[]',
                    '''[-2147483648:-2147483647]={irish,klezmer}''::text[]',
                    quote_literal(fuzz.junk()) || '::text[]',
                    'ARRAY[''Irish'', ''IRISH'', '''', '' irish'', ''irish '', E''irish\n'']'])
           END
$$;

CREATE FUNCTION fuzz.ts_arg() RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN fuzz.chance(0.35) THEN 'NULL'
                WHEN fuzz.chance(0.05) THEN quote_literal(fuzz.junk()) || '::timestamptz'
                ELSE quote_literal(fuzz.pick(ARRAY[
                         'infinity', '-infinity', '4713-01-01 00:00:00+00 BC',
                         '294276-12-31 23:59:59.999999+00', '294276-12-31 23:59:59.999999',
                         '1970-01-01 00:00:00+00', '2000-01-01 00:00:00',
                         '2024-03-10 02:30:00', '2024-11-03 01:30:00', '2024-06-15 12:00:00.654321',
                         '2024-06-15 12:00:00.654320', '2030-01-01',
                         (timestamp '2023-06-01' + random() * interval '700 days')::text,
                         (timestamp '2023-06-01' + random() * interval '700 days')::text])) || '::timestamptz' END
$$;

CREATE FUNCTION fuzz.id_arg() RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN fuzz.chance(0.5) THEN 'NULL'
                WHEN fuzz.chance(0.05) THEN quote_literal(fuzz.junk()) || '::uuid'
                WHEN fuzz.chance(0.5) THEN quote_literal(fuzz.random_uuid()) || '::uuid'
                ELSE quote_literal(fuzz.pick(ARRAY['00000000-0000-0000-0000-000000000000',
                                                   'ffffffff-ffff-ffff-ffff-ffffffffffff',
                                                   '80000000-0000-0000-0000-000000000000'])) || '::uuid' END
$$;

CREATE FUNCTION fuzz.int_arg(p_null_share float8) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN fuzz.chance(p_null_share) THEN 'NULL'
                WHEN fuzz.chance(0.5) THEN (1 + floor(random() * 700))::int::text
                WHEN fuzz.chance(0.04) THEN quote_literal(fuzz.junk()) || '::int'
                ELSE fuzz.pick(ARRAY['0', '1', '2', '7', '50', '999', '1000', '9999', '10000',
                                     '10001', '-1', '2147483647', '2147483647', '-2147483648',
                                     '(2147483647 - 1)']) END
$$;

CREATE FUNCTION fuzz.table_arg() RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN fuzz.chance(0.75) THEN quote_literal(fuzz.pick(ARRAY['note', 'reference', 'tune']))
                WHEN fuzz.chance(0.1) THEN 'NULL'
                ELSE quote_literal(fuzz.pick(ARRAY[
                    'notes', 'NOTE', '', 'pg_authid', 'note; DROP TABLE note', '"note"',
                    'public.note', fuzz.junk()])) END
$$;

-- A cursor: well-formed for a row or a position, or malformed.
CREATE FUNCTION fuzz.cursor_arg() RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN fuzz.chance(0.5) THEN 'NULL'
                ELSE quote_literal(fuzz.pick(ARRAY[
                    'v1:' || (extract(epoch FROM timestamp '2023-06-01' + random() * interval '700 days')
                              * 1000000)::bigint || ':' || fuzz.random_uuid(),
                    'v1:' || (extract(epoch FROM timestamp '2024-06-15 12:00:00.654321') * 1000000)::bigint
                          || ':80000000-0000-0000-0000-000000000000',
                    'v1:0:00000000-0000-0000-0000-000000000000',
                    'v1:-9223372036854775808:00000000-0000-0000-0000-000000000000',
                    'v1:-9223371090169975808:00000000-0000-0000-0000-000000000000',
                    'v1:9223372036854775807:ffffffff-ffff-ffff-ffff-ffffffffffff',
                    'v1:9223372036854775808:ffffffff-ffff-ffff-ffff-ffffffffffff',
                    'v1:01:00000000-0000-0000-0000-000000000000',
                    'v1:-0:00000000-0000-0000-0000-000000000000',
                    'v1:1:FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
                    'v1:1:00000000000000000000000000000000',
                    'v2:1:00000000-0000-0000-0000-000000000000',
                    -- v2 cursors (1.3): valid ones with and without a change
                    -- under way, extreme stamps, a genre of invalid UTF-8,
                    -- and non-canonical ones
                    'v2/' || (extract(epoch FROM timestamp '2024-06-15 12:00:00') * 1000000)::bigint
                          || ':' || fuzz.random_uuid() || '/0/-/Galician,irish,',
                    'v2/-/0/f/', 'v2/-/-9223371090169975808/-/',
                    'v2/9223372036854775807:ffffffff-ffff-ffff-ffff-ffffffffffff/9223372036854775807/-/',
                    'v2/1:00000000-0000-0000-0000-000000000000/0/-/irish,/g/%FF,zz,/0/9223372036854775807/-',
                    'v2/1:00000000-0000-0000-0000-000000000000/0/-/irish,/a//0/0/1:00000000-0000-0000-0000-000000000000',
                    'v2/-/0/-/b,a,', 'v2//0/-/', 'v2/-/0/-/a%2c,',
                    'v1:1:00000000-0000-0000-0000-000000000000:',
                    'v1: 1:00000000-0000-0000-0000-000000000000',
                    'v1::', 'v1', '', repeat('v1:', 10000), fuzz.junk()])) END
$$;

-- What a NULL p_limit means: 1000, capped by genre_sync.max_page_size.
CREATE FUNCTION fuzz.default_limit() RETURNS int LANGUAGE sql AS $$
    SELECT least(1000, current_setting('genre_sync.max_page_size')::int)
$$;

-- The contract's keyset page, written as plain SQL.
CREATE FUNCTION fuzz.ref_keyset(p_table text, u uuid, g text[], a_ts timestamptz, a_id uuid,
                                lim int, u_ts timestamptz, u_id uuid) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_rows jsonb;
    v_filter text := CASE p_table
        WHEN 'tune' THEN 'FROM tune r WHERE ((r.genre = ANY ($2) AND r.private_for IS NULL) OR r.private_for = $1)
                          AND ($3 IS NOT NULL OR NOT r.deleted)'
        ELSE format('FROM %I r JOIN tune t ON r.tune_ref = t.id
                     WHERE ((t.genre = ANY ($2) AND t.private_for IS NULL) OR t.private_for = $1)
                       AND NOT t.deleted AND (r.user_ref IS NULL OR r.user_ref = $1)', p_table) END;
BEGIN
    EXECUTE format($q$
        SELECT coalesce(jsonb_agg(to_jsonb(b) ORDER BY b.last_modified_at, b.id), '[]')
        FROM (SELECT r.* %s
                AND ($3 IS NULL OR r.last_modified_at > $3
                     OR ($4 IS NOT NULL AND r.last_modified_at = $3 AND r.id > $4))
                AND ($6 IS NULL OR r.last_modified_at < $6
                     OR (r.last_modified_at = $6 AND ($7 IS NULL OR r.id <= $7)))
              ORDER BY r.last_modified_at, r.id LIMIT $5) AS b
        $q$, v_filter)
        INTO v_rows
        USING u, coalesce(g, seed.effective_genres(u)), a_ts, a_id, coalesce(lim, fuzz.default_limit()),
              u_ts, u_id;
    RETURN v_rows;
END
$$;

-- One call of function p_fn: its SQL, the reference's SQL (NULL when only
-- the SQLSTATE is checked) and a check of the result's shape.
CREATE FUNCTION fuzz.make_call(p_fn text, OUT call text, OUT reference text)
LANGUAGE plpgsql AS $$
DECLARE
    u text := fuzz.user_arg();
    g text := fuzz.genres_arg();
    a_ts text := fuzz.ts_arg();
    a_id text := fuzz.id_arg();
    lim text := fuzz.int_arg(0.15);
    u_ts text := fuzz.ts_arg();
    u_id text := fuzz.id_arg();
    off text := fuzz.int_arg(0.15);
    rows_of CONSTANT text := 'SELECT coalesce(jsonb_agg(to_jsonb(r)), ''[]'') FROM (SELECT * FROM %s) r';
BEGIN
    CASE p_fn
    WHEN 'sync_get_user_notes', 'sync_get_user_references' THEN
        call := format(rows_of, format('%s(%s, %s, %s, %s, %s)', p_fn, u, g, a_ts, lim, off));
        reference := format(rows_of, format('seed.%s(%s, %s, %s, coalesce(%s, fuzz.default_limit()), coalesce(%s, 0))',
                                            p_fn, u, g, a_ts, lim, off));
    WHEN 'sync_notes_page', 'sync_references_page', 'sync_tunes_page' THEN
        IF fuzz.chance(0.5) THEN u_ts := 'NULL'; u_id := 'NULL'; END IF;
        call := format(rows_of, format('%s(%s, %s, %s, %s, %s, %s, %s)',
                                       p_fn, u, g, a_ts, a_id, lim, u_ts, u_id));
        reference := format('SELECT fuzz.ref_keyset(%L, %s, %s, %s, %s, %s, %s, %s)',
                            CASE p_fn WHEN 'sync_notes_page' THEN 'note'
                                      WHEN 'sync_references_page' THEN 'reference' ELSE 'tune' END,
                            u, g, a_ts, a_id, lim, u_ts, u_id);
    WHEN 'sync_get_effective_genres', 'sync_get_playlist_tune_genres' THEN
        call := format('SELECT to_jsonb(%s(%s))', p_fn, u);
        reference := format('SELECT to_jsonb(seed.%s(%s))',
                            CASE p_fn WHEN 'sync_get_effective_genres' THEN 'effective_genres'
                                      ELSE 'playlist_tune_genres' END, u);
    WHEN 'sync_pull' THEN
        call := format('SELECT to_jsonb(jsonb_array_length(p -> ''rows'') <= coalesce(%s, 1000)
                                        AND jsonb_typeof(p -> ''has_more'') = ''boolean'')
                        FROM sync_pull(%s, %s, %s, %s, %s, %s) p',
                       lim, fuzz.table_arg(), u, g, fuzz.cursor_arg(), lim, fuzz.cursor_arg());
        reference := 'SELECT to_jsonb(true)';
    WHEN 'sync_range_checksum' THEN
        call := format('SELECT to_jsonb(row_count >= 0 AND checksum ~ ''^[0-9a-f]{16}$'')
                        FROM sync_range_checksum(%s, %s, %s, %s, %s)',
                       fuzz.table_arg(), u, g, fuzz.cursor_arg(), fuzz.cursor_arg());
        reference := 'SELECT to_jsonb(true)';
    WHEN 'sync_partition_bounds' THEN
        call := format('SELECT to_jsonb(count(*) >= 0) FROM sync_partition_bounds(%s, %s, %s, %s, %s)',
                       fuzz.table_arg(), u, g, fuzz.int_arg(0.1), a_ts);
        reference := 'SELECT to_jsonb(true)';
    ELSE
        RAISE EXCEPTION 'no generator for %', p_fn;
    END CASE;
END
$$;

-- p_calls calls of every function the extension has; p_seed and p_round
-- (0 <= p_seed < 1) fix the random choices.
CREATE FUNCTION fuzz.run(p_seed float8, p_round int, p_calls int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_fn text;
    c record;
    v_result jsonb;
    v_expected jsonb;
    v_state text;
    v_message text;
BEGIN
    PERFORM setseed(mod((p_seed + p_round * 0.0731)::numeric, 1)::float8);
    FOR i IN 1 .. p_calls LOOP
        FOREACH v_fn IN ARRAY ARRAY['sync_get_user_notes', 'sync_get_user_references',
                                  'sync_notes_page', 'sync_references_page', 'sync_tunes_page',
                                  'sync_get_effective_genres', 'sync_get_playlist_tune_genres',
                                  'sync_pull', 'sync_range_checksum', 'sync_partition_bounds'] LOOP
            CONTINUE WHEN NOT EXISTS (SELECT FROM pg_proc WHERE proname = v_fn);
            c := fuzz.make_call(v_fn);
            -- Another page cap now and then, so p_limit meets it from both sides.
            PERFORM set_config('genre_sync.max_page_size',
                               CASE WHEN fuzz.chance(0.67) THEN '10000'
                                    ELSE fuzz.pick(ARRAY['1', '7', '2147483647']) END, true);
            v_state := 'ok';
            BEGIN
                EXECUTE c.call INTO v_result;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
            END;
            INSERT INTO fuzz.outcome AS o VALUES (v_fn, v_state)
                ON CONFLICT (fn, sqlstate) DO UPDATE SET calls = o.calls + 1;
            IF v_state = 'ok' THEN
                EXECUTE c.reference INTO v_expected;
                IF v_result IS DISTINCT FROM v_expected THEN
                    INSERT INTO fuzz.failure
                    VALUES (v_fn, current_setting('genre_sync.max_page_size'), c.call,
                            'result differs from the reference');
                END IF;
            ELSIF NOT EXISTS (SELECT FROM fuzz.documented d WHERE d.sqlstate = v_state) THEN
                INSERT INTO fuzz.failure
                VALUES (v_fn, current_setting('genre_sync.max_page_size'), c.call,
                        v_state || ': ' || v_message);
            END IF;
        END LOOP;
    END LOOP;
END
$$;
