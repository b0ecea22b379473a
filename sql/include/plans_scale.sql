-- The data of the plan tests (tests/integration/plans_explain.sh): the
-- pg_regress fixture scaled up about 100 times (deterministic, md5-based),
-- at a size where the planner's choice of index matters; skewed genres like
-- docs/dataset.md, some private and deleted tunes, 60% system rows. Needs the
-- fixture's regress.h.
INSERT INTO user_profile (id, name)
SELECT md5('plans user' || k)::uuid, 'plans user ' || k FROM generate_series(1, 3000) k;
INSERT INTO tune (id, title, genre, private_for, deleted, last_modified_at)
SELECT md5('plans tune' || i)::uuid, 'plans tune ' || i,
       CASE WHEN b < 40 THEN 'irish' WHEN b < 52 THEN 'scottish' WHEN b < 60 THEN 'oldtime'
            WHEN b < 66 THEN 'bluegrass' WHEN b < 71 THEN 'klezmer' WHEN b < 76 THEN 'breton'
            WHEN b < 81 THEN 'contra' WHEN b < 86 THEN 'cajun' WHEN b < 91 THEN 'nordic'
            WHEN b < 96 THEN 'balkan' WHEN b < 98 THEN 'Galician' ELSE 'shanty' END,
       CASE WHEN i % 97 = 0 THEN md5('plans user' || (1 + i % 3000))::uuid END,
       i % 50 = 0,
       timestamp '2023-01-01' + regress.h('plans tune ts' || i) * interval '100 ms'
FROM (SELECT i, regress.h('plans tune genre' || i) % 100 AS b FROM generate_series(1, 30000) i) s;
INSERT INTO note (id, user_ref, tune_ref, note_text, last_modified_at)
SELECT md5('plans note' || i)::uuid,
       CASE WHEN i % 5 >= 3 THEN md5('plans user' || (1 + i % 3000))::uuid END,
       md5('plans tune' || (1 + regress.h('plans note tune' || i) % 30000))::uuid, 'n',
       timestamp '2023-01-01' + regress.h('plans note ts' || i) * interval '100 ms'
FROM generate_series(1, 60000) i;
INSERT INTO reference (id, url, user_ref, tune_ref, last_modified_at)
SELECT md5('plans ref' || i)::uuid, 'https://example.org/' || i,
       CASE WHEN i % 10 >= 7 THEN md5('plans user' || (1 + i % 3000))::uuid END,
       md5('plans tune' || (1 + regress.h('plans ref tune' || i) % 30000))::uuid,
       timestamp '2023-01-01' + regress.h('plans ref ts' || i) * interval '100 ms'
FROM generate_series(1, 60000) i;
INSERT INTO playlist (playlist_id, user_ref, name, genre_default)
SELECT md5('plans playlist' || k)::uuid, md5('plans user' || k)::uuid, 'p', 'irish'
FROM generate_series(1, 3000) k;
ANALYZE;
