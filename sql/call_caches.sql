-- What a call keeps in its backend for the next (docs/design.md, "What a
-- call keeps"): relation OIDs, the key index's trigger facts and whether
-- the moves triggers fire (cleared by relcache invalidations), the parsed
-- genre_sync.trusted_roles (parsed again when its value changes) and the
-- last request.jwt.claims parsed. Each is filled by a call, then the
-- catalog or the setting changes in this same session, and the next call
-- must follow: pages equal the seed-semantics reference (regress.ref_page)
-- row for row, a pull refuses while a moves trigger is disabled, and the
-- identity check answers for the settings as they are now. One transaction,
-- rolled back.
--
-- Seen to fail: with relation_changed() in
-- extension/backend/relation_facts.cpp not starting a new generation (a
-- scratch edit), same_after_new_table, same_after_trigger_disabled and
-- new_note_served were false (the pages kept reading the key index of the
-- old table, or past a trigger that no longer fires, and missed the note
-- written since); with role_is_trusted() in
-- extension/backend/caller_identity.cpp parsing the setting only once,
-- trusted_now stayed 42501; with claims_of() keeping the first claims
-- whatever the value, signed_in_as_u2 and trusted_no_more were "ok"; with
-- moves_recorded() in extension/backend/triggers.cpp keeping its answer
-- whatever the generation, pull_after_moves_trigger_disabled was "ok: true"
-- (and sql/filter_changes.sql's note_trigger_off returned a page).
SET TimeZone = 'UTC';
BEGIN;
CREATE FUNCTION pg_temp.same_pages() RETURNS boolean LANGUAGE sql AS $$
    SELECT regress.page('notes', regress.u(1), '{irish,scottish}', NULL, NULL, 1000)
           = regress.ref_page('notes', regress.u(1), '{irish,scottish}', NULL, NULL, 1000)
$$;
CREATE FUNCTION pg_temp.pull_outcome() RETURNS text LANGUAGE sql AS $$
    SELECT regress.outcome(format('SELECT (sync_pull(%L, %L, ''{irish}'') ->> ''row_count'')::int > 0',
                                  'note', regress.u(1)))
$$;
SELECT count(*) AS key_tables FROM sync_enable_key_index();
SELECT pg_temp.same_pages() AS same_with_key_index;

-- The table replaced by another of the same name, without the key index's
-- triggers, holding one more note: pages read the new table, by the app
-- tables' access.
ALTER TABLE note RENAME TO note_before;
CREATE TABLE note (LIKE note_before INCLUDING ALL);
INSERT INTO note SELECT * FROM note_before;
INSERT INTO note (id, tune_ref, note_text, last_modified_at)
SELECT '00000000-0000-4000-8000-00000000c0de', t.id, 'written to the new table', '2023-06-01'
FROM tune t WHERE t.genre = 'irish' AND t.private_for IS NULL AND NOT t.deleted
ORDER BY t.id LIMIT 1;
SELECT pg_temp.same_pages() AS same_after_new_table;
DROP TABLE note;
ALTER TABLE note_before RENAME TO note;
SELECT pg_temp.same_pages() AS same_with_key_index_again;

-- One of the key index's triggers disabled: a note written now has no key,
-- so pages must stop reading the key index.
ALTER TABLE note DISABLE TRIGGER genre_sync_key_index_insert;
INSERT INTO note (id, tune_ref, note_text, last_modified_at)
SELECT '00000000-0000-4000-8000-00000000c0df', t.id, 'written without its key', '2023-06-02'
FROM tune t WHERE t.genre = 'scottish' AND t.private_for IS NULL AND NOT t.deleted
ORDER BY t.id LIMIT 1;
SELECT pg_temp.same_pages() AS same_after_trigger_disabled;
SELECT '00000000-0000-4000-8000-00000000c0df' IN
       (SELECT id FROM sync_notes_page(regress.u(1), '{irish,scottish}', p_limit => 10000))
       AS new_note_served;

-- The moves trigger disabled after a pull that found it firing: the next
-- pull refuses (55000), and pulls again once it fires.
SET LOCAL genre_sync.horizon_margin = 0;
SELECT pg_temp.pull_outcome() AS pull_with_moves_trigger;
ALTER TABLE note DISABLE TRIGGER genre_sync_moves;
SELECT pg_temp.pull_outcome() AS pull_after_moves_trigger_disabled;
ALTER TABLE note ENABLE ALWAYS TRIGGER genre_sync_moves;
SELECT pg_temp.pull_outcome() AS pull_after_moves_trigger_enabled;

-- The identity settings, changed between calls of one session.
CREATE ROLE regress_cache_caller NOLOGIN;
GRANT USAGE ON SCHEMA regress TO regress_cache_caller;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO regress_cache_caller;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO regress_cache_caller;
CREATE FUNCTION pg_temp.notes_for_u1() RETURNS text LANGUAGE sql AS $$
    SELECT split_part(regress.outcome(format(
        'SELECT count(*) > 0 FROM sync_notes_page(%L, ''{irish}'')', regress.u(1))), ':', 1)
$$;
SET ROLE regress_cache_caller;
SELECT set_config('request.jwt.claims', format('{"sub":"%s"}', regress.u(1)), true) IS NOT NULL
       AS signed_in;
SELECT pg_temp.notes_for_u1() AS signed_in_as_u1;
SELECT set_config('request.jwt.claims', format('{"sub":"%s"}', regress.u(2)), true) IS NOT NULL
       AS signed_in;
SELECT pg_temp.notes_for_u1() AS signed_in_as_u2;
RESET ROLE;
SET LOCAL genre_sync.trusted_roles = 'service_role, regress_cache_caller';
SET ROLE regress_cache_caller;
SELECT pg_temp.notes_for_u1() AS trusted_now;
RESET ROLE;
SET LOCAL genre_sync.trusted_roles = 'service_role';
SET ROLE regress_cache_caller;
SELECT pg_temp.notes_for_u1() AS trusted_no_more;
RESET ROLE;
ROLLBACK;
