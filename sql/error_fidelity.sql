-- Error fidelity: an error PostgreSQL raises inside an extension function
-- (a privilege check, an RLS policy's function, a division, a cast, a
-- statement timeout) reaches the caller as PostgreSQL raised it: every field
-- as when the same statement fails without the extension in between, and the
-- CONTEXT once, with the extension's own query as one more frame. Errors of
-- the extension's C++ keep their SQLSTATE, message, detail and hint, and
-- also show their CONTEXT once.
--
-- A PL/pgSQL caller catches each error (GET STACKED DIAGNOSTICS) and stores
-- its fields, once through the extension and once from the same failure hit
-- directly; the comparison lists the fields that differ. The client's view
-- of two errors comes last, under VERBOSITY default: verbose would add
-- LOCATION lines, source line numbers of PostgreSQL and of the extension.
--
-- Seen failing: run against the earlier fence, which copied an error into
-- fixed-size strings and raised a new one from them, every PostgreSQL error
-- here differed in context (the caller's frames twice: the copied context,
-- then the callbacks again), the policy's error lost schema_name,
-- table_name, column_name, constraint_name and datatype_name, the long
-- error came back as 2047 of 3002 bytes (ending inside a character) with
-- detail and hint cut to 1023, and the client saw no QUERY line for the
-- cast error.
\set VERBOSITY verbose
SET TimeZone = 'UTC';

CREATE ROLE gs_ef_no_select NOLOGIN;
CREATE ROLE gs_ef_app NOLOGIN;
GRANT USAGE ON SCHEMA regress TO gs_ef_no_select, gs_ef_app;
GRANT SELECT ON tune, reference, playlist, playlist_tune, user_genre_selection, genre
    TO gs_ef_no_select, gs_ef_app;
GRANT SELECT ON note TO gs_ef_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO gs_ef_no_select, gs_ef_app;

-- Each failure once through the extension ('extension') and once directly
-- ('direct'); the callers insert as themselves.
CREATE TABLE regress.ef_result (
    name text, via text, sqlstate text, message text, detail text, hint text,
    context text, schema_name text, table_name text, column_name text,
    constraint_name text, datatype_name text);
GRANT INSERT ON regress.ef_result TO gs_ef_no_select, gs_ef_app;

-- Runs p_sql from PL/pgSQL and stores the fields of its error (query
-- cancels are caught by name only). Returns the SQLSTATE.
CREATE FUNCTION regress.ef_catch(p_name text, p_via text, p_sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    r regress.ef_result;
BEGIN
    r.name := p_name;
    r.via := p_via;
    EXECUTE p_sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS OR query_canceled THEN
    GET STACKED DIAGNOSTICS r.sqlstate = RETURNED_SQLSTATE, r.message = MESSAGE_TEXT,
        r.detail = PG_EXCEPTION_DETAIL, r.hint = PG_EXCEPTION_HINT,
        r.context = PG_EXCEPTION_CONTEXT, r.schema_name = SCHEMA_NAME,
        r.table_name = TABLE_NAME, r.column_name = COLUMN_NAME,
        r.constraint_name = CONSTRAINT_NAME, r.datatype_name = PG_DATATYPE_NAME;
    INSERT INTO regress.ef_result SELECT r.*;
    RETURN r.sqlstate;
END
$$;

-- The test's statements (and the policy's) are marked /* ef */; any other
-- "SQL statement" line of a context is a query the extension ran.
CREATE FUNCTION regress.ef_context(p_context text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(p_context, '^SQL statement "(?!.*/\* ef \*/).*"$',
                          'SQL statement (a query of the extension)', 'gn')
$$;
-- A context without the extension's query and the test's statement: the
-- frames a direct failure must share.
CREATE FUNCTION regress.ef_frames(p_context text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(
        regexp_replace(regress.ef_context(p_context),
                       '^SQL statement \(a query of the extension\)\n', '', 'gn'),
        '^SQL statement "/\* ef \*/ .*"$', 'SQL statement (the test''s call)', 'gn')
$$;

-- The failures an app's policy on note can cause, chosen by regress.ef_case.
CREATE FUNCTION regress.ef_policy(p_text text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    CASE current_setting('regress.ef_case', true)
    WHEN 'fields' THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'policy check failed for a note',
            DETAIL = 'The note''s text is not allowed.',
            HINT = 'Ask the app''s owner.',
            SCHEMA = 'public', TABLE = 'note', COLUMN = 'note_text',
            CONSTRAINT = 'note_text_allowed', DATATYPE = 'text';
    WHEN 'long' THEN
        -- Past the old fence's 2048 and 1024 bytes, in two-byte characters
        -- whose bytes an odd cut would split.
        RAISE EXCEPTION USING MESSAGE = 'é' || repeat('ü', 1500),
            DETAIL = 'd' || repeat('ß', 700), HINT = 'h' || repeat('ö', 700);
    WHEN 'division' THEN
        RETURN length(p_text) / (length(p_text) - length(p_text)) > 0;
    WHEN 'cast' THEN
        RETURN 'not a number'::int > 0;
    WHEN 'timeout' THEN
        PERFORM /* ef */ pg_sleep(60);
    ELSE
        NULL;
    END CASE;
    RETURN true;
END
$$;
ALTER TABLE note ENABLE ROW LEVEL SECURITY;
CREATE POLICY ef_read ON note FOR SELECT TO gs_ef_app USING (regress.ef_policy(note_text));

-- A privilege check: no SELECT on note.
SET ROLE gs_ef_no_select;
SELECT regress.ef_catch('no select, sync_notes_page', 'extension',
    format('/* ef */ SELECT count(*) FROM sync_notes_page(%L, NULL)', regress.u(1)));
SELECT regress.ef_catch('no select, sync_pull', 'extension',
    format('/* ef */ SELECT sync_pull(''note'', %L)', regress.u(1)));
SELECT regress.ef_catch(name, 'direct', '/* ef */ SELECT count(*) FROM note')
FROM (VALUES ('no select, sync_notes_page'), ('no select, sync_pull')) AS c(name);
RESET ROLE;

-- The policy's failures, one statement each (a statement timeout fires once
-- per statement).
SET ROLE gs_ef_app;
SET regress.ef_case = 'fields';
SELECT regress.ef_catch('policy raises every field', 'extension',
    format('/* ef */ SELECT count(*) FROM sync_notes_page(%L, NULL)', regress.u(1)));
SELECT regress.ef_catch('policy raises every field', 'direct', '/* ef */ SELECT count(*) FROM note');
SET regress.ef_case = 'long';
SELECT regress.ef_catch('policy raises long texts', 'extension',
    format('/* ef */ SELECT count(*) FROM sync_notes_page(%L, NULL)', regress.u(1)));
SELECT regress.ef_catch('policy raises long texts', 'direct', '/* ef */ SELECT count(*) FROM note');
SET regress.ef_case = 'division';
SELECT regress.ef_catch('policy divides by zero', 'extension',
    format('/* ef */ SELECT sync_pull(''note'', %L)', regress.u(1)));
SELECT regress.ef_catch('policy divides by zero', 'direct', '/* ef */ SELECT count(*) FROM note');
SET regress.ef_case = 'cast';
SELECT regress.ef_catch('policy casts text', 'extension',
    format('/* ef */ SELECT count(*) FROM sync_get_user_notes(%L, ''{irish}'')', regress.u(1)));
SELECT regress.ef_catch('policy casts text', 'direct', '/* ef */ SELECT count(*) FROM note');
-- Generous for slow (sanitized) builds: the policy sleeps far longer.
SET statement_timeout = '2s';
SET regress.ef_case = 'timeout';
SELECT regress.ef_catch('statement timeout in the policy', 'extension',
    format('/* ef */ SELECT count(*) FROM sync_notes_page(%L, NULL)', regress.u(1)));
SELECT regress.ef_catch('statement timeout in the policy', 'direct', '/* ef */ SELECT count(*) FROM note');
RESET statement_timeout;
RESET regress.ef_case;

-- Errors of the extension's C++ (nothing to compare with).
SELECT regress.ef_catch('p_limit 0', 'extension',
    format('/* ef */ SELECT count(*) FROM sync_notes_page(%L, NULL, p_limit => 0)', regress.u(1)));
SELECT regress.ef_catch('bad p_cursor', 'extension',
    format('/* ef */ SELECT sync_pull(''note'', %L, p_cursor => ''no cursor'')', regress.u(1)));
RESET ROLE;

-- Each error through the extension, the fields that differ from the direct
-- failure (the context compared without the extension's query), and the
-- context with that query named, not shown. Long texts by their size: a text
-- cut inside a character is not valid text to show.
\x on
SELECT e.name, e.sqlstate,
       CASE WHEN octet_length(e.message) > 80 THEN '(' || octet_length(e.message) || ' bytes)'
            ELSE e.message END AS message,
       CASE WHEN octet_length(e.detail) > 80 THEN '(' || octet_length(e.detail) || ' bytes)'
            ELSE e.detail END AS detail,
       CASE WHEN octet_length(e.hint) > 80 THEN '(' || octet_length(e.hint) || ' bytes)'
            ELSE e.hint END AS hint,
       e.schema_name, e.table_name, e.column_name, e.constraint_name, e.datatype_name,
       CASE WHEN d.name IS NULL THEN '(no direct failure)'
            ELSE array_to_string(ARRAY(
                SELECT f FROM (VALUES
                    ('sqlstate', e.sqlstate IS DISTINCT FROM d.sqlstate),
                    ('message', e.message IS DISTINCT FROM d.message),
                    ('detail', e.detail IS DISTINCT FROM d.detail),
                    ('hint', e.hint IS DISTINCT FROM d.hint),
                    ('context', regress.ef_frames(e.context) IS DISTINCT FROM regress.ef_frames(d.context)),
                    ('schema_name', e.schema_name IS DISTINCT FROM d.schema_name),
                    ('table_name', e.table_name IS DISTINCT FROM d.table_name),
                    ('column_name', e.column_name IS DISTINCT FROM d.column_name),
                    ('constraint_name', e.constraint_name IS DISTINCT FROM d.constraint_name),
                    ('datatype_name', e.datatype_name IS DISTINCT FROM d.datatype_name)
                ) AS c(f, differs) WHERE differs), ', ') END AS differs_from_direct,
       regress.ef_context(e.context) AS context
FROM regress.ef_result e
LEFT JOIN regress.ef_result d ON d.name = e.name AND d.via = 'direct'
WHERE e.via = 'extension'
ORDER BY e.name COLLATE "C";
\x off

-- What a client sees: the policy's cast error keeps the query PL/pgSQL ran
-- and the position in it (QUERY, and the line that points there), as when
-- the policy fails without the extension.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET ROLE gs_ef_app;
SET regress.ef_case = 'cast';
SELECT count(*) FROM sync_notes_page(regress.u(1), NULL);
SELECT count(*) FROM note;
SET regress.ef_case = 'fields';
SELECT count(*) FROM sync_notes_page(regress.u(1), NULL);
RESET regress.ef_case;
RESET ROLE;
\set SHOW_CONTEXT errors
\set VERBOSITY verbose

DROP POLICY ef_read ON note;
ALTER TABLE note DISABLE ROW LEVEL SECURITY;
DROP FUNCTION regress.ef_policy(text), regress.ef_catch(text, text, text),
              regress.ef_frames(text), regress.ef_context(text);
DROP TABLE regress.ef_result;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM gs_ef_no_select, gs_ef_app;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM gs_ef_no_select, gs_ef_app;
REVOKE USAGE ON SCHEMA regress FROM gs_ef_no_select, gs_ef_app;
DROP ROLE gs_ef_no_select, gs_ef_app;
