-- Caller identity: with request.jwt.claims set as PostgREST sets it, a sync
-- function serves only the claims' "sub" unless the role is trusted
-- (genre_sync.trusted_roles, superusers); genre_sync.enforce_caller_identity
-- turns the check off. Every function that takes p_user_id is called for the
-- authenticated user and for someone else.

-- The role PostgREST switches to for a signed-in user; it may already exist.
CREATE TABLE regress.sec_created_roles (name text);
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
        CREATE ROLE authenticated NOLOGIN;
        INSERT INTO regress.sec_created_roles VALUES ('authenticated');
    END IF;
END
$$;
CREATE ROLE gs_test_service NOLOGIN;
GRANT USAGE ON SCHEMA regress TO authenticated, gs_test_service;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO authenticated, gs_test_service;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO authenticated, gs_test_service;

-- One outcome per function, for p_user_id = p_user.
CREATE FUNCTION regress.identity_outcomes(p_user uuid)
RETURNS TABLE (fn text, outcome text) LANGUAGE sql AS $$
    SELECT f, regress.outcome(format(q, p_user))
    FROM (VALUES
        ('sync_get_user_notes', 'SELECT count(*) FROM sync_get_user_notes(%L, ''{irish}'')'),
        ('sync_get_user_references', 'SELECT count(*) FROM sync_get_user_references(%L, ''{irish}'')'),
        ('sync_notes_page', 'SELECT count(*) FROM sync_notes_page(%L, NULL)'),
        ('sync_references_page', 'SELECT count(*) FROM sync_references_page(%L, NULL)'),
        ('sync_tunes_page', 'SELECT count(*) FROM sync_tunes_page(%L, NULL)'),
        ('sync_get_playlist_tune_genres', 'SELECT sync_get_playlist_tune_genres(%L)'),
        ('sync_get_effective_genres', 'SELECT sync_get_effective_genres(%L)'),
        ('sync_pull', 'SELECT json_array_length(sync_pull(''note'', %L) -> ''rows'')'),
        ('sync_range_checksum', 'SELECT row_count FROM sync_range_checksum(''note'', %L, NULL, NULL, NULL)'),
        ('sync_partition_bounds', 'SELECT count(*) FROM sync_partition_bounds(''note'', %L, NULL, 3)')
    ) AS c(f, q)
$$;

-- The defaults: on, and the service role of Supabase-style setups.
LOAD 'genre_sync';
SHOW genre_sync.enforce_caller_identity;
SHOW genre_sync.trusted_roles;

-- What each function returns for u1 and u2 with no request identity (a
-- direct connection): the baseline the authenticated calls must match.
SET ROLE authenticated;
SELECT * FROM regress.identity_outcomes(regress.u(1));
SELECT * FROM regress.identity_outcomes(regress.u(2));

-- Signed in as u1: u1's sync is served, u2's is refused by every function.
SELECT set_config('request.jwt.claims',
                  format('{"sub":"%s","role":"authenticated"}', regress.u(1)), false);
SELECT * FROM regress.identity_outcomes(regress.u(1));
SELECT * FROM regress.identity_outcomes(regress.u(2));
\set VERBOSITY verbose
SELECT sync_get_effective_genres(regress.u(2));
\set VERBOSITY default
-- The check comes before argument checks: no probing another user's data
-- through error messages.
SELECT regress.outcome(format('SELECT count(*) FROM sync_notes_page(%L, NULL, p_limit => 0)',
                              regress.u(2)));
-- A NULL p_user_id is still 22004.
SELECT regress.outcome('SELECT count(*) FROM sync_notes_page(NULL, NULL)');

-- The sub compares as a uuid, as `(claims ->> 'sub')::uuid` in a policy would.
SELECT set_config('request.jwt.claims',
                  format('{"role":"authenticated","sub":"{%s}"}', upper(replace(regress.u(1)::text, '-', ''))),
                  false);
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(1)));
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(2)));

-- Claims without a sub (PostgREST's anonymous role) act for nobody.
SELECT set_config('request.jwt.claims', '{"role":"anon"}', false);
\set VERBOSITY verbose
SELECT sync_get_effective_genres(regress.u(1));
\set VERBOSITY default

-- Malformed claims are refused, never taken as "no identity".
SELECT set_config('request.jwt.claims', c, false),
       regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(1)))
FROM unnest(ARRAY[format('{"sub":"%s"', regress.u(1)),
                  format('{"sub":"%s","sub":"%s"}', regress.u(2), regress.u(1)),
                  '{"sub":42}', 'null']) AS c;
\set VERBOSITY verbose
SELECT set_config('request.jwt.claims', '{"sub":', false);
SELECT sync_get_effective_genres(regress.u(1));
\set VERBOSITY default

-- PostgREST sets the claims per transaction; once it ends the setting is
-- empty again, and a pooled session is a direct connection again.
SELECT set_config('request.jwt.claims', '', false);
BEGIN;
SELECT set_config('request.jwt.claims', format('{"sub":"%s"}', regress.u(1)), true);
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(2)));
COMMIT;
SELECT current_setting('request.jwt.claims') = '' AS claims_empty;
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(2)));

-- PostgREST before 9 set one setting per claim.
SELECT set_config('request.jwt.claim.sub', regress.u(1)::text, false);
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(1)));
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(2)));
SELECT set_config('request.jwt.claim.sub', '', false);
SELECT set_config('request.jwt.claim.role', 'anon', false);
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(1)));
SELECT set_config('request.jwt.claim.role', '', false);

-- The settings are superuser-only: the caller cannot switch the check off
-- or trust itself.
SET genre_sync.enforce_caller_identity = off;
SET genre_sync.trusted_roles = 'authenticated';
RESET ROLE;

-- A trusted role (the sync worker's) may act for any user.
SET genre_sync.trusted_roles = 'gs_test_service';
SET ROLE gs_test_service;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"service_role"}', regress.u(1)), false);
SELECT * FROM regress.identity_outcomes(regress.u(2));
RESET ROLE;
-- Names follow SQL identifier rules: unquoted names fold to lower case.
SET genre_sync.trusted_roles = 'service_role, GS_TEST_SERVICE';
SET ROLE gs_test_service;
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(2)));
RESET ROLE;
SET genre_sync.trusted_roles = 'service_role, "GS_TEST_SERVICE"';
SET ROLE gs_test_service;
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(2)));
RESET ROLE;
SET genre_sync.trusted_roles = 'gs_test_service,';
SET genre_sync.trusted_roles = '';
SET ROLE gs_test_service;
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(2)));
RESET ROLE;
RESET genre_sync.trusted_roles;

-- Superusers are trusted.
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(2)));

-- An app that authenticates elsewhere turns the check off.
SET genre_sync.enforce_caller_identity = off;
SET ROLE authenticated;
SELECT * FROM regress.identity_outcomes(regress.u(2));
RESET ROLE;
RESET genre_sync.enforce_caller_identity;
SET ROLE authenticated;
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(2)));
RESET ROLE;

-- In a new session the settings do not exist until the library loads, and
-- anyone may set a placeholder; loading it must drop the caller's values.
\c -
SET ROLE authenticated;
SET genre_sync.enforce_caller_identity = off;
SET genre_sync.trusted_roles = 'authenticated';
SELECT set_config('request.jwt.claims', format('{"sub":"%s"}', regress.u(1)), false);
SELECT regress.outcome(format('SELECT sync_get_effective_genres(%L)', regress.u(2)));
SHOW genre_sync.enforce_caller_identity;
SHOW genre_sync.trusted_roles;
RESET ROLE;

SELECT set_config('request.jwt.claims', '', false);
DROP FUNCTION regress.identity_outcomes(uuid);
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM authenticated, gs_test_service;
REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM authenticated, gs_test_service;
REVOKE USAGE ON SCHEMA regress FROM authenticated, gs_test_service;
DROP ROLE gs_test_service;
DO $$
BEGIN
    IF EXISTS (SELECT FROM regress.sec_created_roles WHERE name = 'authenticated') THEN
        DROP ROLE authenticated;
    END IF;
END
$$;
DROP TABLE regress.sec_created_roles;
