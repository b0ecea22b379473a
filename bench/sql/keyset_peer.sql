-- The DBA's peer: the plain-SQL keyset pagination a good DBA would write
-- instead of the seed's OFFSET functions, with the same signatures as the
-- extension's page functions. genre-sync-bench measures it on the same data
-- and indexes as ours, so the comparison is C++ extension vs plain SQL, not
-- keyset vs OFFSET.
--
-- LANGUAGE sql STABLE with a single SELECT: PostgreSQL inlines these into the
-- calling query and folds the NULL tests on the arguments into constants, so
-- each call gets a plan for its own arguments (index range scan on
-- (last_modified_at, id) from the cursor on).

CREATE SCHEMA IF NOT EXISTS peer;

-- When p_genre_ids is NULL the peer filters by the user's effective genres
-- as the extension computes them (sync_get_effective_genres): the peer
-- differs from ours only in how it pages, and the query lives in one place.

-- The cursor is (p_after_timestamp, p_after_id): rows strictly after it in
-- (last_modified_at, id) order. Without an id the timestamp alone bounds the
-- page, as the seed's p_after_timestamp did. The row comparison against a
-- timestamptz uses the cross-type btree operators, so it is an index
-- condition on (last_modified_at, id).
CREATE OR REPLACE FUNCTION peer.notes_page(
    p_user_id uuid, p_genre_ids text[],
    p_after_timestamp timestamptz DEFAULT NULL, p_after_id uuid DEFAULT NULL,
    p_limit int DEFAULT 1000,
    p_until_timestamp timestamptz DEFAULT NULL, p_until_id uuid DEFAULT NULL)
RETURNS SETOF note LANGUAGE sql STABLE AS $$
    SELECT n.*
    FROM note n
    JOIN tune t ON t.id = n.tune_ref
    WHERE ((t.genre = ANY (coalesce(p_genre_ids, sync_get_effective_genres(p_user_id)))
            AND t.private_for IS NULL)
           OR t.private_for = p_user_id)
      AND NOT t.deleted
      AND (n.user_ref IS NULL OR n.user_ref = p_user_id)
      AND (p_after_timestamp IS NULL
           OR (p_after_id IS NULL AND n.last_modified_at > p_after_timestamp)
           OR (p_after_id IS NOT NULL
               AND (n.last_modified_at, n.id) > (p_after_timestamp, p_after_id)))
      AND (p_until_timestamp IS NULL
           OR (p_until_id IS NULL AND n.last_modified_at <= p_until_timestamp)
           OR (p_until_id IS NOT NULL
               AND (n.last_modified_at, n.id) <= (p_until_timestamp, p_until_id)))
    ORDER BY n.last_modified_at, n.id
    LIMIT coalesce(p_limit, 1000)
$$;

CREATE OR REPLACE FUNCTION peer.references_page(
    p_user_id uuid, p_genre_ids text[],
    p_after_timestamp timestamptz DEFAULT NULL, p_after_id uuid DEFAULT NULL,
    p_limit int DEFAULT 1000,
    p_until_timestamp timestamptz DEFAULT NULL, p_until_id uuid DEFAULT NULL)
RETURNS SETOF reference LANGUAGE sql STABLE AS $$
    SELECT r.*
    FROM reference r
    JOIN tune t ON t.id = r.tune_ref
    WHERE ((t.genre = ANY (coalesce(p_genre_ids, sync_get_effective_genres(p_user_id)))
            AND t.private_for IS NULL)
           OR t.private_for = p_user_id)
      AND NOT t.deleted
      AND (r.user_ref IS NULL OR r.user_ref = p_user_id)
      AND (p_after_timestamp IS NULL
           OR (p_after_id IS NULL AND r.last_modified_at > p_after_timestamp)
           OR (p_after_id IS NOT NULL
               AND (r.last_modified_at, r.id) > (p_after_timestamp, p_after_id)))
      AND (p_until_timestamp IS NULL
           OR (p_until_id IS NULL AND r.last_modified_at <= p_until_timestamp)
           OR (p_until_id IS NOT NULL
               AND (r.last_modified_at, r.id) <= (p_until_timestamp, p_until_id)))
    ORDER BY r.last_modified_at, r.id
    LIMIT coalesce(p_limit, 1000)
$$;

-- Tunes carry their own genre. A first sync (no cursor) leaves out deleted
-- tunes; incremental pages include them, their flag is how clients learn of
-- the deletion.
CREATE OR REPLACE FUNCTION peer.tunes_page(
    p_user_id uuid, p_genre_ids text[],
    p_after_timestamp timestamptz DEFAULT NULL, p_after_id uuid DEFAULT NULL,
    p_limit int DEFAULT 1000,
    p_until_timestamp timestamptz DEFAULT NULL, p_until_id uuid DEFAULT NULL)
RETURNS SETOF tune LANGUAGE sql STABLE AS $$
    SELECT t.*
    FROM tune t
    WHERE ((t.genre = ANY (coalesce(p_genre_ids, sync_get_effective_genres(p_user_id)))
            AND t.private_for IS NULL)
           OR t.private_for = p_user_id)
      AND (p_after_timestamp IS NOT NULL OR NOT t.deleted)
      AND (p_after_timestamp IS NULL
           OR (p_after_id IS NULL AND t.last_modified_at > p_after_timestamp)
           OR (p_after_id IS NOT NULL
               AND (t.last_modified_at, t.id) > (p_after_timestamp, p_after_id)))
      AND (p_until_timestamp IS NULL
           OR (p_until_id IS NULL AND t.last_modified_at <= p_until_timestamp)
           OR (p_until_id IS NOT NULL
               AND (t.last_modified_at, t.id) <= (p_until_timestamp, p_until_id)))
    ORDER BY t.last_modified_at, t.id
    LIMIT coalesce(p_limit, 1000)
$$;
