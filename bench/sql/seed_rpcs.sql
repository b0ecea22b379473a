-- The seed plan's sync RPCs, as plain SQL: the reference semantics that the
-- genre_sync extension must reproduce, and the "before" side of the benchmark.
--
-- Written from the seed app's RPCs (docs/design.md, "Where it comes from"),
-- independently of the extension. Everything lives in
-- the schema `seed`, so it can sit beside the extension's functions of the
-- same names; the app tables are expected in `public`.
--
-- The two RPCs keep the seed's exact shape: LANGUAGE sql with the default
-- volatility (the seed declares none, so they are not inlined), OFFSET
-- paging, and the timestamptz argument compared with the timestamp column
-- (so under the session TimeZone). p_limit NULL means no limit here, as in
-- the seed; the extension's drop-ins use 1000 instead.
--
-- Re-runnable: the benchmark may load it into a database that has it.

CREATE SCHEMA IF NOT EXISTS seed;

CREATE OR REPLACE FUNCTION seed.sync_get_user_notes(
    p_user_id uuid,
    p_genre_ids text[],
    p_after_timestamp timestamptz DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_offset integer DEFAULT 0
) RETURNS SETOF public.note
LANGUAGE sql AS $$
    SELECT n.*
    FROM public.note n
    JOIN public.tune t ON n.tune_ref = t.id
    WHERE (
        (t.genre = ANY (p_genre_ids) AND t.private_for IS NULL)
        OR t.private_for = p_user_id
    )
    AND (n.user_ref IS NULL OR n.user_ref = p_user_id)
    AND (p_after_timestamp IS NULL OR n.last_modified_at > p_after_timestamp)
    AND t.deleted = FALSE
    ORDER BY n.last_modified_at ASC, n.id ASC
    LIMIT p_limit OFFSET p_offset;
$$;

-- "sync_get_user_references.sql is similar": the same filter over reference.
CREATE OR REPLACE FUNCTION seed.sync_get_user_references(
    p_user_id uuid,
    p_genre_ids text[],
    p_after_timestamp timestamptz DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_offset integer DEFAULT 0
) RETURNS SETOF public.reference
LANGUAGE sql AS $$
    SELECT r.*
    FROM public.reference r
    JOIN public.tune t ON r.tune_ref = t.id
    WHERE (
        (t.genre = ANY (p_genre_ids) AND t.private_for IS NULL)
        OR t.private_for = p_user_id
    )
    AND (r.user_ref IS NULL OR r.user_ref = p_user_id)
    AND (p_after_timestamp IS NULL OR r.last_modified_at > p_after_timestamp)
    AND t.deleted = FALSE
    ORDER BY r.last_modified_at ASC, r.id ASC
    LIMIT p_limit OFFSET p_offset;
$$;

-- The tunes a user syncs (docs/design.md, sync_tunes_page): the seed worker's
-- genre filter plus the user's private tunes, applied to tune itself. A first
-- sync (no timestamp) leaves deleted tunes out; an incremental one keeps them,
-- since their deleted flag is how a client learns of the deletion.
CREATE OR REPLACE FUNCTION seed.user_tunes(
    p_user_id uuid,
    p_genre_ids text[],
    p_after_timestamp timestamptz DEFAULT NULL,
    p_limit integer DEFAULT 1000,
    p_offset integer DEFAULT 0
) RETURNS SETOF public.tune
LANGUAGE sql AS $$
    SELECT t.*
    FROM public.tune t
    WHERE (
        (t.genre = ANY (p_genre_ids) AND t.private_for IS NULL)
        OR t.private_for = p_user_id
    )
    AND (p_after_timestamp IS NULL OR t.last_modified_at > p_after_timestamp)
    AND (p_after_timestamp IS NOT NULL OR t.deleted = FALSE)
    ORDER BY t.last_modified_at ASC, t.id ASC
    LIMIT p_limit OFFSET p_offset;
$$;

-- Genres of the tunes the user keeps in playlists (the seed's Postgres
-- playlist_tune query, made exact): non-deleted tunes with a genre, in the
-- user's non-deleted playlist_tune rows of non-deleted playlists.
CREATE OR REPLACE FUNCTION seed.playlist_tune_genres(p_user_id uuid)
RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT t.genre COLLATE "C" ORDER BY t.genre COLLATE "C"),
                    '{}')
    FROM public.playlist p
    JOIN public.playlist_tune pt ON pt.playlist_ref = p.playlist_id
    JOIN public.tune t ON t.id = pt.tune_ref
    WHERE p.user_ref = p_user_id
      AND NOT p.deleted
      AND NOT pt.deleted
      AND NOT t.deleted
      AND t.genre IS NOT NULL;
$$;

-- The effective genre filter of the seed's pre-sync, in one query: explicit
-- selections, non-deleted playlists' genre_default, and the playlist tunes'
-- genres. Sorted (COLLATE "C"), distinct, '{}' when there are none.
CREATE OR REPLACE FUNCTION seed.effective_genres(p_user_id uuid)
RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT g.genre COLLATE "C" ORDER BY g.genre COLLATE "C"),
                    '{}')
    FROM (
        SELECT s.genre_id AS genre
        FROM public.user_genre_selection s
        WHERE s.user_id = p_user_id
        UNION
        SELECT p.genre_default
        FROM public.playlist p
        WHERE p.user_ref = p_user_id
          AND NOT p.deleted
          AND p.genre_default IS NOT NULL
        UNION
        SELECT unnest(seed.playlist_tune_genres(p_user_id))
    ) g;
$$;
