-- The SQL fuzzer's generators, reference results and driver (loaded by
-- tests/integration/fuzz_sql.sh into a database holding the pg_regress
-- fixture, the seed's SQL and the extension).
--
-- Each call is built as SQL text whose arguments are expressions, mostly
-- literals cast to the parameter types, so malformed text reaches the casts
-- as it would from a client. A call passes when it returns what the
-- reference returns (drop-ins: the seed's SQL; keyset pages: the contract's
-- query; genre functions: the seed's; sync_pull, checksums and bounds: the
-- protocol's definitions over the seed's SQL) where the contract calls its
-- input valid, or raises the SQLSTATE the contract gives one of its invalid
-- arguments (README "Errors"; a cast of malformed text fails with the cast's
-- own SQLSTATE before the call).
--
-- Seen to fail (FUZZ_ROUNDS=1 FUZZ_CALLS=200, extension rebuilt with the
-- breakage, then restored): resolve_limit refusing p_limit equal to
-- genre_sync.max_page_size ('>' made '>=' in extension/core/page_args.cpp)
-- gave 20 "rejected valid input: 22023" failures across the drop-ins, the
-- pages and sync_pull, which the old oracle accepted as a documented
-- SQLSTATE; the checksum hashing md5 digits 2..17 instead of 1..16
-- (extension/core/sync_query.cpp) gave 53 "checksum differs from the
-- protocol's", which the old to_jsonb(true) reference could not see. The
-- old generator's "-infinity" cursor (v1:-9223371090169975808: INT64_MIN
-- less 946684800000, not 946684800000000) is no position; the extension
-- refuses it with 22P02, which the old oracle accepted as documented. The
-- real one, -9222425352054775808, is generated now and must be accepted.

CREATE SCHEMA fuzz;

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

-- The reference's view of one argument: the expression evaluated on its own,
-- as the call will evaluate it. A cast of malformed text fails here with the
-- SQLSTATE the call must fail with; a value that casts is judged by the
-- contract (README "Errors", docs/protocol.md) in fuzz.make_call.
CREATE FUNCTION fuzz.eval(p_expr text, OUT value text, OUT state text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT (%s)::text', p_expr) INTO value;
EXCEPTION WHEN OTHERS THEN
    state := SQLSTATE;
END
$$;

-- The filter's genres as a call uses them: sorted ("C"), distinct, no NULLs.
CREATE FUNCTION fuzz.norm_genres(p text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(DISTINCT g COLLATE "C" ORDER BY g COLLATE "C"), '{}')
    FROM unnest(p) g WHERE g IS NOT NULL
$$;

-- The genres part of a v2 cursor as docs/protocol.md "Cursors" defines it:
-- each genre percent-encoded (bytes other than A-Z a-z 0-9 . _ ~ - as %XX)
-- and followed by a comma, in "C" order.
CREATE FUNCTION fuzz.v2_genres(p text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(string_agg(
               (SELECT coalesce(string_agg(CASE WHEN chr(b) ~ '^[A-Za-z0-9._~-]$' AND b < 128 THEN chr(b)
                                                ELSE '%' || upper(lpad(to_hex(b), 2, '0')) END, '' ORDER BY i), '')
                FROM (SELECT get_byte(u.bytes, i) AS b, i
                      FROM (SELECT convert_to(g, 'UTF8') AS bytes) u,
                           generate_series(0, octet_length(u.bytes) - 1) i) bytes) || ',',
               '' ORDER BY g COLLATE "C"), '')
    FROM unnest(fuzz.norm_genres(p)) g
$$;

-- A timestamp as a position counts it: microseconds since 1970; -infinity is
-- PostgreSQL's INT64_MIN counted from 1970; +infinity has none.
CREATE FUNCTION fuzz.micros(p timestamp) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p = '-infinity' THEN -9222425352054775808
                WHEN p <> 'infinity' THEN (extract(epoch FROM p) * 1000000)::bigint END
$$;

-- A cursor argument and what the contract says of it. kind:
--   null    no cursor;
--   v1      a well-formed position (pos_micros, pos_id): must be accepted;
--   v2      a v2 cursor written as the protocol documents it, holding the
--           call's own filter and every move seen: must be accepted, and no
--           filter change is under way (the main stream's page follows);
--   v2other a v2 cursor holding another filter: must be accepted; a filter
--           change may run;
--   bad     malformed, out of range or not canonical: must raise 22P02;
--   unknown well-formed text whose meaning the reference does not model
--           (a change under way): accepted or 22P02, invariants checked.
-- p_genres is the call's filter (NULL when it cannot be evaluated).
CREATE FUNCTION fuzz.cursor_arg(p_genres text[], p_positions_only boolean,
                                OUT expr text, OUT kind text, OUT pos_micros bigint, OUT pos_id uuid,
                                OUT first_sync boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_ts timestamp := timestamp '2023-06-01' + random() * interval '700 days';
    v_choice float8 := random();
    v_text text;
BEGIN
    first_sync := false;
    IF fuzz.chance(0.4) THEN
        expr := 'NULL'; kind := 'null'; RETURN;
    END IF;
    -- Now and then the exact key of a fixture row (ties included), so
    -- positions fall on rows as well as between them.
    IF fuzz.chance(0.3) THEN
        SELECT r.last_modified_at, r.id INTO v_ts, pos_id
        FROM note r ORDER BY random() LIMIT 1;
    ELSE
        pos_id := fuzz.pick(ARRAY[fuzz.random_uuid()::text, '00000000-0000-0000-0000-000000000000',
                                  'ffffffff-ffff-ffff-ffff-ffffffffffff', '80000000-0000-0000-0000-000000000000']);
    END IF;
    pos_micros := fuzz.micros(v_ts);
    IF v_choice < 0.35 OR p_positions_only THEN
        IF fuzz.chance(0.8) THEN
            -- -infinity (INT64_MIN in PostgreSQL, counted from 1970) and the
            -- largest count are positions too.
            pos_micros := fuzz.pick(ARRAY[pos_micros::text, pos_micros::text, pos_micros::text,
                                          '-9222425352054775808', '9223372036854775807', '0',
                                          '-210866803200000001'])::bigint;
            expr := quote_literal(format('v1:%s:%s', pos_micros, pos_id)); kind := 'v1';
        ELSE
            expr := quote_literal(fuzz.pick(ARRAY[
                'v1:-9222425352054775809:00000000-0000-0000-0000-000000000000',
                'v1:-9223372036854775808:00000000-0000-0000-0000-000000000000',
                'v1:9223372036854775808:ffffffff-ffff-ffff-ffff-ffffffffffff',
                'v1:01:00000000-0000-0000-0000-000000000000',
                'v1:-0:00000000-0000-0000-0000-000000000000',
                'v1:+1:00000000-0000-0000-0000-000000000000',
                'v1:1:FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
                'v1:1:00000000000000000000000000000000',
                'v1:1:{00000000-0000-0000-0000-000000000000}',
                'v2:1:00000000-0000-0000-0000-000000000000',
                'v1:1:00000000-0000-0000-0000-000000000000:',
                'v1: 1:00000000-0000-0000-0000-000000000000',
                'v1::', 'v1', '', repeat('v1:', 10000),
                'v2/-/0/-/', 'v2/1:00000000-0000-0000-0000-000000000000/0/f/irish,'])); 
            -- the last two are valid cursors but no positions
            kind := CASE WHEN p_positions_only THEN 'bad' ELSE 'unknown' END;
            IF NOT p_positions_only AND expr NOT LIKE '''v2/%' THEN kind := 'bad'; END IF;
        END IF;
        RETURN;
    END IF;
    -- (not for the huge arrays: a cursor of a megabyte is no cursor a
    -- worker holds, and writing it here would cost more than the call)
    IF p_genres IS NOT NULL AND cardinality(p_genres) <= 100
       AND (SELECT coalesce(sum(octet_length(x)), 0) FROM unnest(p_genres) x) <= 10000
       AND v_choice < 0.75 THEN
        -- The call's own filter, every move seen (sync_move is empty in the
        -- fuzz database; any stamp from 0 on covers it).
        first_sync := fuzz.chance(0.3);
        IF fuzz.chance(0.15) THEN pos_micros := NULL; END IF;
        expr := quote_literal(format('v2/%s/%s/%s/%s',
                                     coalesce(pos_micros || ':' || pos_id, '-'),
                                     fuzz.pick(ARRAY['0', '1796660067935489', '9223372036854775807']),
                                     CASE WHEN first_sync THEN 'f' ELSE '-' END,
                                     fuzz.v2_genres(p_genres)));
        kind := 'v2';
    ELSIF v_choice < 0.85 THEN
        expr := quote_literal(format('v2/%s:%s/0/-/%s', pos_micros, pos_id,
                                     fuzz.pick(ARRAY['', 'Galician,irish,', 'irish,', 'Zydeco,nope,', ',',
                                                     '%20irish,', 'caf%C3%A9,'])));
        kind := 'v2other';
    ELSIF v_choice < 0.92 THEN
        expr := quote_literal(fuzz.pick(ARRAY[
            'v2/1:00000000-0000-0000-0000-000000000000/0/-/irish,/a//0/0/1:00000000-0000-0000-0000-000000000000',
            'v2/1:00000000-0000-0000-0000-000000000000/0/-/irish,/g/scottish,/0/9223372036854775807/-']));
        kind := 'unknown';
    ELSE
        -- Not canonical or out of range: unsorted or duplicate genres, a
        -- lower-case or needless escape, invalid UTF-8, an empty position,
        -- a moves stamp below -infinity, a stray part.
        expr := quote_literal(fuzz.pick(ARRAY[
            'v2/-/0/-/b,a,', 'v2/-/0/-/a,a,', 'v2//0/-/', 'v2/-/0/-/a%2c,', 'v2/-/0/-/%61,',
            'v2/-/0/-/irish', 'v2/-/0/x/', 'v2/-/00/-/', 'v2/-/-9222425352054775809/-/',
            'v2/1:00000000-0000-0000-0000-000000000000/0/-/irish,/g/%FF,zz,/0/9223372036854775807/-',
            'v2/-/0/-/ irish,', 'v2/-/0/-/irish,/', 'V2/-/0/-/', fuzz.junk()]));
        kind := 'bad';
    END IF;
END
$$;

-- The record type of a cursor argument, as make_call passes it to the checks.
CREATE TYPE fuzz.cursor_info AS (expr text, kind text, pos_micros bigint, pos_id uuid, first_sync boolean);

-- What a NULL p_limit means: 1000, capped by genre_sync.max_page_size.
CREATE FUNCTION fuzz.default_limit() RETURNS int LANGUAGE sql AS $$
    SELECT least(1000, current_setting('genre_sync.max_page_size')::int)
$$;

-- The user's rows of a table as the seed's SQL selects them, every row (no
-- limit, no timestamp), with the key as a cursor counts it. Tunes: deleted
-- ones only when p_deleted_tunes (an incremental sync's).
CREATE FUNCTION fuzz.seed_rows(p_table text, u uuid, g text[], p_deleted_tunes boolean,
                               p_after timestamptz DEFAULT NULL)
RETURNS TABLE (micros bigint, id uuid, doc jsonb) LANGUAGE sql STABLE AS $$
    SELECT fuzz.micros(r.last_modified_at), r.id, to_jsonb(r)
    FROM seed.sync_get_user_notes(u, g, p_after, NULL, 0) r WHERE p_table = 'note'
    UNION ALL
    SELECT fuzz.micros(r.last_modified_at), r.id, to_jsonb(r)
    FROM seed.sync_get_user_references(u, g, p_after, NULL, 0) r WHERE p_table = 'reference'
    UNION ALL
    SELECT fuzz.micros(r.last_modified_at), r.id, to_jsonb(r)
    FROM seed.user_tunes(u, g, coalesce(p_after, CASE WHEN p_deleted_tunes THEN '-infinity'::timestamptz END), NULL, 0) r
    WHERE p_table = 'tune'
$$;

-- The contract's keyset page, written as plain SQL.
-- Its timestamps are instants, compared as the stamp zone's wall clock.
CREATE FUNCTION fuzz.ref_keyset(p_table text, u uuid, g text[], a_instant timestamptz, a_id uuid,
                                lim int, u_instant timestamptz, u_id uuid) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    a_ts timestamp := a_instant AT TIME ZONE current_setting('genre_sync.stamp_time_zone');
    u_ts timestamp := u_instant AT TIME ZONE current_setting('genre_sync.stamp_time_zone');
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

-- sync_pull's envelope against the contract (docs/protocol.md): NULL when
-- it holds, else what is wrong. Rows come from the seed's SQL: those after
-- the cursor's position, up to p_until and below the horizon the envelope
-- reports, in key order, p_limit of them; has_more says whether one more
-- exists. A page of a filter change (catch_up) is checked for what any such
-- page must satisfy: its rows are the filter's, at or before the cursor's
-- position, its removed ids are of rows outside the filter.
CREATE FUNCTION fuzz.check_pull(e jsonb, p_table text, u uuid, g text[], c fuzz.cursor_info,
                                p_until fuzz.cursor_info, lim int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_genres text[] := fuzz.norm_genres(coalesce(g, seed.effective_genres(u)));
    -- Deleted tunes belong to incremental pages: after a position, outside a
    -- first sync (a cursor without a position starts from the beginning,
    -- whatever its flags, as sync_tunes_page without p_after_timestamp).
    v_deleted boolean := c.kind <> 'null' AND c.pos_micros IS NOT NULL AND NOT c.first_sync;
    v_horizon bigint := fuzz.micros((e->>'horizon')::timestamp);
    v_expected jsonb;
    v_more boolean;
    v_bad bigint;
BEGIN
    IF e->'genres' IS DISTINCT FROM to_jsonb(v_genres) THEN
        RETURN 'genres ' || (e->'genres')::text || ', expected ' || to_jsonb(v_genres)::text;
    END IF;
    IF (e->>'row_count')::int IS DISTINCT FROM jsonb_array_length(e->'rows') + jsonb_array_length(e->'removed')
       OR (e->>'row_count')::int > lim THEN
        RETURN 'row_count ' || (e->>'row_count') || ' with limit ' || lim;
    END IF;
    IF (e->>'catch_up')::boolean THEN
        IF c.kind IN ('null', 'v2') THEN
            RETURN 'a filter change ran for a cursor that holds the current filter';
        END IF;
        -- The filter's rows once (a huge genre array makes each read slow).
        WITH f AS MATERIALIZED (SELECT * FROM fuzz.seed_rows(p_table, u, v_genres, true))
        SELECT count(*) INTO v_bad FROM jsonb_array_elements(e->'rows') r
        WHERE NOT EXISTS (SELECT FROM f s WHERE s.doc = r AND (s.micros, s.id) <= (c.pos_micros, c.pos_id));
        IF v_bad > 0 THEN RETURN v_bad || ' catch-up rows outside the filter or after the position'; END IF;
        WITH f AS MATERIALIZED (SELECT * FROM fuzz.seed_rows(p_table, u, v_genres, true))
        SELECT count(*) INTO v_bad FROM jsonb_array_elements_text(e->'removed') x
        WHERE EXISTS (SELECT FROM f s WHERE s.id = x::uuid);
        IF v_bad > 0 THEN RETURN v_bad || ' removed ids of rows in the filter'; END IF;
        RETURN NULL;
    END IF;
    IF e->'removed' <> '[]' THEN RETURN 'removed ids outside a filter change'; END IF;
    -- The main stream: an exact page.
    SELECT coalesce(jsonb_agg(doc ORDER BY micros, id) FILTER (WHERE n <= lim), '[]'), count(*) > lim
    INTO v_expected, v_more
    FROM (SELECT s.*, row_number() OVER (ORDER BY s.micros, s.id) AS n
          FROM fuzz.seed_rows(p_table, u, v_genres, v_deleted) s
          WHERE (c.pos_micros IS NULL OR (s.micros, s.id) > (c.pos_micros, c.pos_id))
            AND (p_until.kind = 'null' OR (s.micros, s.id) <= (p_until.pos_micros, p_until.pos_id))
            AND s.micros < v_horizon) s;
    IF e->'rows' IS DISTINCT FROM v_expected THEN
        RETURN format('rows differ from the reference: %s rows, expected %s',
                      jsonb_array_length(e->'rows'), jsonb_array_length(v_expected));
    END IF;
    IF (e->>'has_more')::boolean IS DISTINCT FROM v_more THEN
        RETURN 'has_more ' || (e->>'has_more') || ', expected ' || v_more;
    END IF;
    IF jsonb_array_length(e->'rows') > 0
       AND split_part(e->>'next_cursor', '/', 2)
           <> fuzz.micros((e->'rows'->-1->>'last_modified_at')::timestamp) || ':' || (e->'rows'->-1->>'id') THEN
        RETURN 'next_cursor ' || (e->>'next_cursor') || ' is not at the last row';
    END IF;
    RETURN NULL;
END
$$;

-- sync_range_checksum against docs/protocol.md "Range checksums": the rows
-- of the filter (tunes: non-deleted) with key in (p_after, p_until], the
-- horizon ignored; sum of the first 64 bits of md5('<id>:<micros>') mod 2^64.
CREATE FUNCTION fuzz.ref_checksum(p_table text, u uuid, g text[], a fuzz.cursor_info, b fuzz.cursor_info,
                                  OUT row_count bigint, OUT checksum text)
LANGUAGE sql AS $$
    SELECT count(*),
           lpad(to_hex((CASE WHEN t >= 9223372036854775808 THEN t - 18446744073709551616 ELSE t END)::bigint),
                16, '0')
    FROM (SELECT s.*, mod(sum(('x' || substr(md5(s.id || ':' || s.micros), 1, 16))::bit(64)::bigint::numeric
                              + 18446744073709551616) OVER (), 18446744073709551616) AS t
          FROM fuzz.seed_rows(p_table, u, fuzz.norm_genres(coalesce(g, seed.effective_genres(u))), false) s
          WHERE (a.pos_micros IS NULL OR (s.micros, s.id) > (a.pos_micros, a.pos_id))
            AND (b.kind = 'null' OR (s.micros, s.id) <= (b.pos_micros, b.pos_id))) s
    GROUP BY t
    UNION ALL SELECT 0, '0000000000000000'
    LIMIT 1
$$;

-- sync_partition_bounds against README "Parallel fetch": p_parts parts
-- numbered 1.., the first from p_after_timestamp, each starting where the
-- previous one ends (timestamps, ids and cursors), the last open-ended,
-- every cut the key of one of the user's rows, and together every row after
-- p_after_timestamp once. The fuzz tables are smaller than four samples, so
-- they are read whole: estimated_rows is each range's exact count and part
-- sizes differ by at most one.
CREATE FUNCTION fuzz.check_bounds(p_table text, u uuid, g text[], p_parts int, a_ts timestamptz)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_genres text[] := fuzz.norm_genres(coalesce(g, seed.effective_genres(u)));
    v_problem text;
BEGIN
    IF to_regclass('pg_temp.fuzz_bounds') IS NULL THEN
        CREATE TEMP TABLE fuzz_bounds AS
            SELECT * FROM sync_partition_bounds('note', u, '{}', 1) WITH NO DATA;
    END IF;
    TRUNCATE fuzz_bounds;
    INSERT INTO fuzz_bounds SELECT * FROM sync_partition_bounds(p_table, u, g, p_parts, a_ts);
    WITH rows AS MATERIALIZED (
        SELECT s.micros, s.id FROM fuzz.seed_rows(p_table, u, v_genres, a_ts IS NOT NULL, a_ts) s
    ), b AS (
        SELECT f.*, lag(f.until_cursor) OVER (ORDER BY part) AS prev_until,
               lag(f.until_timestamp) OVER (ORDER BY part) AS prev_until_ts,
               lag(f.until_id) OVER (ORDER BY part) AS prev_until_id,
               split_part(f.until_cursor, ':', 2)::bigint AS u_micros,
               split_part(f.until_cursor, ':', 3)::uuid AS u_id
        FROM fuzz_bounds f
    ), events AS (
        -- rows and cuts in key order, a cut after the rows of its own key:
        -- a row belongs to the part after the cuts before it
        SELECT r.micros, r.id, 0 AS is_cut FROM rows r
        UNION ALL
        SELECT b.u_micros, b.u_id, 1 FROM b WHERE b.until_cursor IS NOT NULL
    ), placed AS (
        SELECT 1 + coalesce(sum(is_cut) OVER (ORDER BY micros, id, is_cut
                                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS part,
               is_cut
        FROM events
    ), counted AS (
        SELECT b.*, coalesce(p.n, 0) AS actual
        FROM b LEFT JOIN (SELECT part, count(*) AS n FROM placed WHERE is_cut = 0 GROUP BY part) p
                         ON p.part = b.part
    )
    SELECT CASE
        WHEN count(*) <> p_parts OR min(part) <> 1 OR max(part) <> p_parts THEN format('%s parts', count(*))
        WHEN bool_or(part = 1 AND (after_timestamp IS DISTINCT FROM a_ts OR after_id IS NOT NULL
                                   OR (after_cursor IS NULL) <> (a_ts IS NULL)
                                   OR split_part(after_cursor, '/', 2)
                                      <> fuzz.micros((a_ts AT TIME ZONE current_setting('genre_sync.stamp_time_zone'))::timestamp)
                                         || ':ffffffff-ffff-ffff-ffff-ffffffffffff'))
            THEN 'part 1 does not start at p_after_timestamp'
        WHEN bool_or(part > 1 AND (after_timestamp IS DISTINCT FROM prev_until_ts OR after_id IS DISTINCT FROM prev_until_id
                                   OR split_part(after_cursor, '/', 2) <> split_part(prev_until, ':', 2) || ':' || split_part(prev_until, ':', 3)))
            THEN 'parts are not contiguous'
        WHEN bool_or((until_cursor IS NULL) <> (part = p_parts)) THEN 'only the last part is open-ended'
        WHEN bool_or(until_cursor IS NOT NULL AND actual > 0
                     AND NOT EXISTS (SELECT FROM rows r WHERE (r.micros, r.id) = (u_micros, u_id)))
            THEN 'a cut is not the key of one of the user''s rows'
        -- a part with no rows (fewer rows than parts) ends where it starts
        WHEN bool_or(until_cursor IS NOT NULL AND actual = 0
                     AND split_part(until_cursor, ':', 2) || ':' || split_part(until_cursor, ':', 3)
                         <> coalesce(split_part(after_cursor, '/', 2),
                                     '-9222425352054775808:00000000-0000-0000-0000-000000000000'))
            THEN 'an empty part does not end where it starts'
        WHEN sum(actual) <> (SELECT count(*) FROM rows) THEN format('parts hold %s rows of %s', sum(actual), (SELECT count(*) FROM rows))
        WHEN bool_or(estimated_rows <> actual) THEN 'estimated_rows is not the exact count of a part read whole'
        WHEN max(actual) - min(actual) > 1 THEN 'part sizes differ by more than one row'
        END
    INTO v_problem FROM counted;
    RETURN v_problem;
END
$$;

-- One call of function p_fn: its SQL, the SQLSTATEs it may raise (NULL: it
-- must succeed) and a check of its result (a query of $1, the result as
-- jsonb, returning NULL or the problem).
CREATE FUNCTION fuzz.make_call(p_fn text, OUT call text, OUT allowed text[], OUT checker text)
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
    tbl text := fuzz.table_arg();
    parts text := fuzz.int_arg(0.1);
    ev record;
    v_user uuid;
    v_genres text[];
    v_limit int;
    v_table text;
    c record;
    cu record;
    v_max int := current_setting('genre_sync.max_page_size')::int;
    rows_of CONSTANT text := 'SELECT coalesce(jsonb_agg(to_jsonb(r)), ''[]'') FROM (SELECT * FROM %s) r';
BEGIN
    allowed := '{}';
    -- Every argument a function takes: casts that fail, then the contract.
    ev := fuzz.eval(u);
    IF ev.state IS NOT NULL THEN allowed := allowed || ev.state;
    ELSIF ev.value IS NULL THEN allowed := allowed || '22004'::text;
    ELSE v_user := ev.value::uuid; END IF;
    IF p_fn NOT IN ('sync_get_effective_genres', 'sync_get_playlist_tune_genres') THEN
        ev := fuzz.eval(g);
        IF ev.state IS NOT NULL THEN allowed := allowed || ev.state;
        ELSIF array_ndims(ev.value::text[]) > 1 THEN allowed := allowed || '2202E'::text;
        ELSE v_genres := ev.value::text[]; END IF;
    END IF;
    IF p_fn IN ('sync_get_user_notes', 'sync_get_user_references', 'sync_notes_page',
                'sync_references_page', 'sync_tunes_page', 'sync_pull') THEN
        ev := fuzz.eval(lim);
        IF ev.state IS NOT NULL THEN allowed := allowed || ev.state;
        ELSIF ev.value::int < 1 OR ev.value::int > v_max THEN allowed := allowed || '22023'::text;
        ELSE v_limit := coalesce(ev.value::int, least(1000, v_max)); END IF;
    END IF;
    IF p_fn IN ('sync_get_user_notes', 'sync_get_user_references') THEN
        ev := fuzz.eval(off);
        IF ev.state IS NOT NULL THEN allowed := allowed || ev.state;
        ELSIF ev.value::int < 0 THEN allowed := allowed || '22023'::text; END IF;
        ev := fuzz.eval(a_ts);
        IF ev.state IS NOT NULL THEN allowed := allowed || ev.state; END IF;
    END IF;
    IF p_fn IN ('sync_notes_page', 'sync_references_page', 'sync_tunes_page') THEN
        IF fuzz.chance(0.5) THEN u_ts := 'NULL'; u_id := 'NULL'; END IF;
        DECLARE
            t1 record := fuzz.eval(a_ts);
            i1 record := fuzz.eval(a_id);
            t2 record := fuzz.eval(u_ts);
            i2 record := fuzz.eval(u_id);
        BEGIN
            allowed := allowed || array_remove(ARRAY[t1.state, i1.state, t2.state, i2.state], NULL);
            IF i1.state IS NULL AND t1.state IS NULL AND i1.value IS NOT NULL AND t1.value IS NULL
               OR i2.state IS NULL AND t2.state IS NULL AND i2.value IS NOT NULL AND t2.value IS NULL THEN
                allowed := allowed || '22023'::text;
            END IF;
        END;
    END IF;
    IF p_fn IN ('sync_pull', 'sync_range_checksum', 'sync_partition_bounds') THEN
        ev := fuzz.eval(tbl);
        IF ev.value IS NULL THEN allowed := allowed || '22004'::text;
        ELSIF ev.value NOT IN ('note', 'reference', 'tune') THEN allowed := allowed || '22023'::text;
        ELSE v_table := ev.value; END IF;
    END IF;
    IF p_fn IN ('sync_pull', 'sync_range_checksum') THEN
        c := fuzz.cursor_arg(CASE WHEN v_user IS NOT NULL AND cardinality(allowed) = 0
                                  THEN coalesce(v_genres, seed.effective_genres(v_user)) END,
                             false);
        -- p_until: a position for sync_pull; the checksums take cursors too
        -- (README: "between two cursors or positions").
        cu := fuzz.cursor_arg(NULL, p_fn = 'sync_pull');
        IF cu.kind IN ('v2', 'v2other') AND cu.pos_micros IS NULL THEN
            -- a cursor at no position as an upper bound: not modelled
            cu.kind := 'unknown';
        END IF;
        IF c.kind = 'bad' OR cu.kind = 'bad' THEN allowed := allowed || '22P02'::text; END IF;
        -- an unknown cursor may be refused too, whatever else is wrong
        IF 'unknown' IN (c.kind, cu.kind) AND cardinality(allowed) > 0 THEN
            allowed := allowed || '22P02'::text;
        END IF;
    END IF;

    CASE p_fn
    WHEN 'sync_get_user_notes', 'sync_get_user_references' THEN
        call := format(rows_of, format('%s(%s, %s, %s, %s, %s)', p_fn, u, g, a_ts, lim, off));
        checker := format('SELECT CASE WHEN $1 IS DISTINCT FROM (%s) THEN ''result differs from the seed''''s'' END',
                          format(rows_of, format('seed.%s(%s, %s, %s, coalesce(%s, fuzz.default_limit()), coalesce(%s, 0))',
                                                 p_fn, u, g, a_ts, lim, off)));
    WHEN 'sync_notes_page', 'sync_references_page', 'sync_tunes_page' THEN
        call := format(rows_of, format('%s(%s, %s, %s, %s, %s, %s, %s)',
                                       p_fn, u, g, a_ts, a_id, lim, u_ts, u_id));
        checker := format('SELECT CASE WHEN $1 IS DISTINCT FROM fuzz.ref_keyset(%L, %s, %s, %s, %s, %s, %s, %s)
                                       THEN ''result differs from the contract''''s keyset page'' END',
                          CASE p_fn WHEN 'sync_notes_page' THEN 'note'
                                    WHEN 'sync_references_page' THEN 'reference' ELSE 'tune' END,
                          u, g, a_ts, a_id, lim, u_ts, u_id);
    WHEN 'sync_get_effective_genres', 'sync_get_playlist_tune_genres' THEN
        call := format('SELECT to_jsonb(%s(%s))', p_fn, u);
        checker := format('SELECT CASE WHEN $1 IS DISTINCT FROM to_jsonb(seed.%s(%s)) THEN ''result differs from the seed''''s'' END',
                          CASE p_fn WHEN 'sync_get_effective_genres' THEN 'effective_genres'
                                    ELSE 'playlist_tune_genres' END, u);
    WHEN 'sync_pull' THEN
        call := format('SELECT sync_pull(%s, %s, %s, %s, %s, %s)', tbl, u, g, c.expr, lim, cu.expr);
        checker := format('SELECT fuzz.check_pull($1, %L, %L, %L, %L::fuzz.cursor_info, %L::fuzz.cursor_info, %s)',
                          v_table, v_user, v_genres, (c.expr, c.kind, c.pos_micros, c.pos_id, c.first_sync),
                          (cu.expr, cu.kind, cu.pos_micros, cu.pos_id, cu.first_sync), coalesce(v_limit, 0));
        IF 'unknown' IN (c.kind, cu.kind) THEN
            -- A change under way is not modelled: the page's invariants only.
            checker := format('SELECT CASE WHEN ($1->>''row_count'')::int > %s THEN ''row_count above p_limit'' END',
                              coalesce(v_limit, 0));
        END IF;
    WHEN 'sync_range_checksum' THEN
        call := format('SELECT to_jsonb(c) FROM sync_range_checksum(%s, %s, %s, %s, %s) c',
                       tbl, u, g, c.expr, cu.expr);
        checker := format('SELECT CASE WHEN $1 IS DISTINCT FROM (SELECT to_jsonb(r) FROM fuzz.ref_checksum(%L, %L, %L, %L::fuzz.cursor_info, %L::fuzz.cursor_info) r)
                                       THEN ''checksum differs from the protocol''''s'' END',
                          v_table, v_user, v_genres, (c.expr, c.kind, c.pos_micros, c.pos_id, c.first_sync),
                          (cu.expr, cu.kind, cu.pos_micros, cu.pos_id, cu.first_sync));
        IF 'unknown' IN (c.kind, cu.kind) THEN
            checker := 'SELECT CASE WHEN $1->>''checksum'' !~ ''^[0-9a-f]{16}$'' THEN ''malformed checksum'' END';
        END IF;
    WHEN 'sync_partition_bounds' THEN
        -- NULL p_parts means the default, 4 (1.3)
        ev := fuzz.eval(parts);
        IF ev.state IS NOT NULL THEN allowed := allowed || ev.state;
        ELSIF ev.value::int < 1 OR ev.value::int > 1024 THEN allowed := allowed || '22023'::text; END IF;
        ev := fuzz.eval(a_ts);
        IF ev.state IS NOT NULL THEN allowed := allowed || ev.state;
        -- the bounds' cursors cannot hold +infinity or years after 294246
        -- (docs/protocol.md, "Exact positions")
        ELSIF extract(epoch FROM ev.value::timestamptz) * 1000000 > 9223372036854775807 THEN
            allowed := allowed || '22008'::text;
        END IF;
        call := format('SELECT to_jsonb(count(*)) FROM sync_partition_bounds(%s, %s, %s, %s, %s)',
                       tbl, u, g, parts, a_ts);
        checker := format('SELECT fuzz.check_bounds(%L, %L, %L, coalesce(%s, 4), %s)', v_table, v_user, v_genres,
                          parts, a_ts);
    ELSE
        RAISE EXCEPTION 'no generator for %', p_fn;
    END CASE;
    IF cardinality(allowed) = 0 THEN allowed := NULL; END IF;
    -- unknown cursors: success is checked, any failure must be 22P02
    IF allowed IS NULL AND p_fn IN ('sync_pull', 'sync_range_checksum') THEN
        IF 'unknown' IN (c.kind, cu.kind) THEN allowed := '{22P02,ok}'; END IF;
    END IF;
END
$$;

-- p_calls calls of every function the extension has; p_seed and p_round
-- (0 <= p_seed < 1) fix the random choices. A call passes when it succeeds
-- and its check finds nothing, where the contract says its input is valid;
-- and when it fails with one of the SQLSTATEs of its invalid arguments,
-- where it says not. Wrongly rejecting valid input, and wrongly accepting
-- invalid input, are failures.
CREATE FUNCTION fuzz.run(p_seed float8, p_round int, p_calls int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_fn text;
    c record;
    v_result jsonb;
    v_problem text;
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
            -- Another page cap now and then, so p_limit meets it from both sides.
            PERFORM set_config('genre_sync.max_page_size',
                               CASE WHEN fuzz.chance(0.67) THEN '10000'
                                    ELSE fuzz.pick(ARRAY['1', '7', '2147483647']) END, true);
            c := fuzz.make_call(v_fn);
            v_state := 'ok';
            BEGIN
                EXECUTE c.call INTO v_result;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
            END;
            INSERT INTO fuzz.outcome AS o VALUES (v_fn, v_state)
                ON CONFLICT (fn, sqlstate) DO UPDATE SET calls = o.calls + 1;
            v_problem := NULL;
            IF v_state = 'ok' AND (c.allowed IS NULL OR 'ok' = ANY (c.allowed)) THEN
                EXECUTE c.checker INTO v_problem USING v_result;
            ELSIF v_state = 'ok' THEN
                v_problem := 'accepted invalid input (expected ' || array_to_string(c.allowed, ' or ') || ')';
            ELSIF c.allowed IS NULL THEN
                v_problem := 'rejected valid input: ' || v_state || ': ' || v_message;
            ELSIF NOT v_state = ANY (c.allowed) THEN
                v_problem := v_state || ' (expected ' || array_to_string(c.allowed, ' or ') || '): ' || v_message;
            END IF;
            IF v_problem IS NOT NULL THEN
                INSERT INTO fuzz.failure
                VALUES (v_fn, current_setting('genre_sync.max_page_size'), c.call, v_problem);
            END IF;
        END LOOP;
    END LOOP;
END
$$;
