-- The caller under row-level security that `genre-sync-bench paths` measures
-- as its "RLS caller" path: the role a gateway switches to for signed-in
-- users (PostgREST and Supabase: authenticated), granted what README's
-- "Grants" block 1 grants (signed_in_grants.sql), and an app's typical policies on auth.uid(), the
-- JWT's "sub" (the bench sets request.jwt.claims per user, as PostgREST
-- does per request). No SELECT on the key tables, as README says for
-- `authenticated`. The policies let each user see its own rows, system rows
-- (user_ref NULL) and public ones, public and own private tunes, own
-- playlists and genre selections: nothing the bench pulls for a user is
-- hidden from that user, so every method must still return the same rows.
-- The DBA's peer (keyset_peer.sql) runs as this role too. Superusers and the
-- tables' owner are not subject to the policies: the other paths are
-- unchanged. Run after CREATE EXTENSION and keyset_peer.sql; idempotent.

SET client_min_messages = warning;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gs_bench_rls') THEN
        CREATE ROLE gs_bench_rls NOLOGIN;
    END IF;
END
$$;

CREATE SCHEMA IF NOT EXISTS auth;
-- Supabase's auth.uid(): the claims of PostgREST 9 and later, or the
-- single setting of older ones.
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
$$;

\set signed_in_role gs_bench_rls
\ir signed_in_grants.sql
GRANT USAGE ON SCHEMA auth, peer TO gs_bench_rls;
GRANT EXECUTE ON FUNCTION auth.uid() TO gs_bench_rls;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA peer TO gs_bench_rls;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['note', 'reference', 'tune', 'playlist', 'playlist_tune',
                             'user_genre_selection'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS app_read ON %I', t);
    END LOOP;
END
$$;
CREATE POLICY app_read ON note FOR SELECT TO gs_bench_rls
    USING (user_ref IS NULL OR user_ref = auth.uid() OR public);
CREATE POLICY app_read ON reference FOR SELECT TO gs_bench_rls
    USING (user_ref IS NULL OR user_ref = auth.uid() OR public);
CREATE POLICY app_read ON tune FOR SELECT TO gs_bench_rls
    USING (private_for IS NULL OR private_for = auth.uid());
CREATE POLICY app_read ON playlist FOR SELECT TO gs_bench_rls
    USING (user_ref = auth.uid());
CREATE POLICY app_read ON playlist_tune FOR SELECT TO gs_bench_rls
    USING (EXISTS (SELECT FROM playlist p
                   WHERE p.playlist_id = playlist_ref AND p.user_ref = auth.uid()));
CREATE POLICY app_read ON user_genre_selection FOR SELECT TO gs_bench_rls
    USING (user_id = auth.uid());
