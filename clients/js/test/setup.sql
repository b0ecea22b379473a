-- Added to the pg_regress fixture (sql/include/fixture.sql) for the client's
-- tests: more rows for paging and parallel parts, a tie group that differs only
-- in microseconds (the Date pitfall), and the app's stamping trigger, so that
-- the tests' writers stamp rows as docs/protocol.md assumes.
INSERT INTO note (id, user_ref, tune_ref, note_text, deleted, last_modified_at)
SELECT md5('js-note' || i)::uuid,
       CASE WHEN i % 5 = 0 THEN regress.u(2) END,
       regress.tune(1 + regress.h('js-note-tune' || i) % 300),
       'js note ' || i, i % 31 = 0,
       CASE WHEN i <= 120
            -- 120 notes within one millisecond: equal to a Date, not to the sync
            THEN timestamp '2025-02-03 04:05:06.789' + i * interval '1 microsecond'
            ELSE timestamp '2024-02-01' + i * interval '37 minutes'
                 + regress.h('js-note-ts' || i) % 1000000 * interval '1 microsecond' END
FROM generate_series(1, 3000) AS i;

INSERT INTO reference (id, url, tune_ref, user_ref, last_modified_at)
SELECT md5('js-ref' || i)::uuid, 'https://example.org/js/' || i,
       regress.tune(1 + regress.h('js-ref-tune' || i) % 300),
       CASE WHEN i % 4 = 0 THEN regress.u(2) END,
       timestamp '2024-03-01' + i * interval '41 minutes'
       + regress.h('js-ref-ts' || i) % 1000000 * interval '1 microsecond'
FROM generate_series(1, 2000) AS i;

CREATE FUNCTION app_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.last_modified_at := now() AT TIME ZONE 'UTC'; RETURN NEW; END $$;
CREATE TRIGGER tune_stamp BEFORE INSERT OR UPDATE ON tune FOR EACH ROW EXECUTE FUNCTION app_stamp();
CREATE TRIGGER note_stamp BEFORE INSERT OR UPDATE ON note FOR EACH ROW EXECUTE FUNCTION app_stamp();
CREATE TRIGGER reference_stamp BEFORE INSERT OR UPDATE ON reference FOR EACH ROW EXECUTE FUNCTION app_stamp();
ANALYZE;
