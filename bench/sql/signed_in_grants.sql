-- README, "Grants", block 1: what the role a gateway switches to for
-- signed-in users (PostgREST and Supabase: authenticated) is granted, here
-- to the role named by the psql variable signed_in_role. Run by
-- bench/sql/rls_caller.sql for the bench's caller under row-level security
-- and by sql/postgrest.sql, which checks what it allows and refuses.
GRANT USAGE ON SCHEMA public TO :"signed_in_role";
GRANT SELECT ON tune, note, reference, playlist, playlist_tune, user_genre_selection,
                sync_horizon_publication TO :"signed_in_role";
GRANT EXECUTE ON FUNCTION sync_get_effective_genres, sync_get_playlist_tune_genres,
                          sync_notes_page, sync_references_page, sync_tunes_page,
                          sync_pull, sync_range_checksum, sync_partition_bounds,
                          sync_safe_horizon TO :"signed_in_role";
