-- The key index's accesses are planned once per backend: their kept plan is
-- generic, built on the first call, where the plan cache would otherwise
-- plan incremental calls anew every time (a third of an empty one's cost;
-- their planner settings fix the plan anyway). A generic plan stays in a
-- memory context named by its query; a custom plan is dropped after its call.
-- The app tables' access leaves the choice to the plan cache, which plans its
-- first calls for their values.
SET TimeZone = 'UTC';

CREATE FUNCTION pg_temp.kept_plans(p_table text) RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM pg_backend_memory_contexts
  WHERE name = 'CachedPlan' AND ident LIKE '%FROM public.' || p_table || ' %'
$$;

SELECT min(id::text)::uuid AS u FROM user_profile \gset
SELECT array_agg(id ORDER BY id) AS all_genres, (array_agg(id ORDER BY id))[1:2] AS two_genres FROM genre \gset
SELECT cardinality(:'all_genres'::text[]) > 8 AS all_genres_read_by_time;

-- The app tables: planned for the call, nothing kept. From the sixth call
-- the plan cache builds a generic plan too, to weigh it against the custom
-- ones, and keeps it: kept_plans() sees it.
SELECT count(*) FROM sync_notes_page(:'u', :'two_genres', p_limit => 5);
SELECT pg_temp.kept_plans('note') AS note_plans;
SELECT sum(n) AS rows_of_five_more_calls
FROM generate_series(1, 5) i, LATERAL (SELECT count(*) AS n FROM sync_notes_page(:'u', :'two_genres', p_limit => i)) c;
SELECT pg_temp.kept_plans('note') AS note_plans;

BEGIN;
SELECT count(*) AS key_tables FROM sync_enable_key_index();
-- By genre, then by time: one generic plan each, made on the first call.
SELECT count(*) FROM sync_notes_page(:'u', :'two_genres', p_limit => 5);
SELECT pg_temp.kept_plans('sync_key_note') AS key_note_plans;
SELECT count(*) FROM sync_notes_page(:'u', :'all_genres', p_limit => 5);
SELECT pg_temp.kept_plans('sync_key_note') AS key_note_plans;
-- Later calls with other values reuse them; another shape (a timestamp
-- without an id) gets its own.
SELECT count(*) FROM sync_notes_page(:'u', :'all_genres', '2000-01-01', NULL, 7)
UNION ALL SELECT count(*) FROM sync_notes_page(:'u', :'two_genres', NULL, NULL, 3)
UNION ALL SELECT count(*) FROM sync_notes_page(:'u', :'two_genres', NULL, NULL, 1000);
SELECT pg_temp.kept_plans('sync_key_note') AS key_note_plans;
-- The envelope and a drop-in: one plan each, however often they are called.
SELECT (sync_pull('reference', :'u', :'all_genres', NULL, 4))->'row_count' AS pulled;
SELECT count(*) FROM sync_get_user_references(:'u', :'all_genres', NULL, 3, 2);
SELECT pg_temp.kept_plans('sync_key_reference') AS key_reference_plans;
SELECT (sync_pull('reference', :'u', :'all_genres', NULL, 9))->'row_count' AS pulled;
SELECT count(*) FROM sync_get_user_references(:'u', :'all_genres', NULL, 3, 5);
SELECT pg_temp.kept_plans('sync_key_reference') AS key_reference_plans;
ROLLBACK;
