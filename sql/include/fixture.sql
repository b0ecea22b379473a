-- The pg_regress fixture: a small, fully deterministic app dataset (md5-based
-- ids and choices, no random()) that holds every hard case of the sync filter.
--   users 1..8 = regress.u(k); genres: 12 with tunes plus 'Zydeco' with none
--     (mixed case, so only COLLATE "C" sorts them as the contract says);
--   tunes: 300, deleted ones, private tunes of users 1 and 2 (tune 41 is
--     private and deleted, tune 81 private with no genre), public tunes with
--     no genre, a tie group of 17 tunes;
--   notes (600) and references (500): system and user-owned rows, public
--     flags, deleted rows, rows without a tune, rows of deleted and private
--     tunes, a 50-row (notes) / 46-row (references) tie on one microsecond
--     timestamp plus a second tie group, and rows inside the DST gap of
--     2024-03-10 and the repeated hour of 2024-11-03 (US rules), which only
--     compare "as the seed does" if the timestamptz argument meets the
--     timestamp column under the session TimeZone;
--   playlists, playlist_tune rows and genre selections whose deleted rows
--     would each change some user's effective genres if they were counted.

CREATE SCHEMA regress;

-- A stable pseudo-random non-negative int from a label.
CREATE FUNCTION regress.h(p_label text) RETURNS int
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT ('x' || substr(md5(p_label), 1, 7))::bit(28)::int
$$;

CREATE FUNCTION regress.u(k int) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT md5('user' || k)::uuid $$;

CREATE FUNCTION regress.tune(i int) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT md5('tune' || i)::uuid $$;

CREATE FUNCTION regress.genres_with_tunes() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['irish', 'scottish', 'oldtime', 'bluegrass', 'klezmer', 'breton',
                 'contra', 'cajun', 'nordic', 'balkan', 'Galician', 'shanty']
$$;

CREATE FUNCTION regress.tie_a() RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $$ SELECT timestamp '2024-06-15 12:00:00.654321' $$;

CREATE FUNCTION regress.tie_b() RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $$ SELECT timestamp '2024-09-01 08:30:00.000001' $$;

INSERT INTO genre (id, name, region, description)
SELECT g.id, initcap(g.id), 'region ' || g.ord % 4, 'genre number ' || g.ord
FROM unnest(regress.genres_with_tunes() || 'Zydeco'::text) WITH ORDINALITY AS g(id, ord);

INSERT INTO user_profile (id, name, email, last_modified_at)
SELECT regress.u(k), 'user ' || k, 'user' || k || '@example.org',
       timestamp '2023-12-01 09:00:00' + k * interval '1 day'
FROM generate_series(1, 8) AS k;

INSERT INTO tune (id, title, type, mode, structure, incipit, genre, private_for,
                  deleted, sync_version, last_modified_at, device_id)
SELECT regress.tune(i), 'tune ' || i,
       (ARRAY['reel', 'jig', 'hornpipe', 'polka'])[1 + i % 4],
       (ARRAY['D major', 'A dorian', 'G major'])[1 + i % 3],
       'AABB', 'abc' || i,
       CASE WHEN i % 29 = 0 OR i = 81 THEN NULL
            ELSE (regress.genres_with_tunes())[1 + regress.h('tune-genre' || i) % 12] END,
       CASE i % 40 WHEN 1 THEN regress.u(1) WHEN 2 THEN regress.u(2) END,
       i % 17 = 0 OR i IN (41, 135),
       1 + i % 3,
       CASE WHEN (i % 10 = 5 AND i BETWEEN 100 AND 250) OR i IN (201, 202) THEN regress.tie_a()
            WHEN i = 60 THEN timestamp '2024-03-10 02:30:00.5'
            WHEN i = 61 THEN timestamp '2024-03-10 03:10:00'
            ELSE timestamp '2023-12-20' + i * interval '29 hours'
                 + regress.h('tune-ts' || i) % 1000000 * interval '1 microsecond' END,
       'device-' || i % 4
FROM generate_series(1, 300) AS i;

-- Notes 1..8 pin the private/deleted/no-genre cases; the rest are spread by hash.
INSERT INTO note (id, user_ref, tune_ref, playlist_ref, created_date, note_text,
                  public, favorite, deleted, sync_version, last_modified_at, device_id)
SELECT md5('note' || i)::uuid,
       CASE WHEN i IN (1, 2, 3) THEN regress.u(1)
            WHEN i <= 8 OR i BETWEEN 300 AND 305 OR i BETWEEN 410 AND 413 THEN NULL
            WHEN regress.h('note-owner' || i) % 10 < 6 THEN NULL
            ELSE regress.u(1 + regress.h('note-user' || i) % 8) END,
       CASE i WHEN 1 THEN regress.tune(1)     -- u1's private tune, u1's note
              WHEN 2 THEN regress.tune(2)     -- u2's private tune, u1's note: nobody
              WHEN 3 THEN regress.tune(41)    -- u1's deleted private tune
              WHEN 4 THEN regress.tune(81)    -- u1's private tune without genre
              WHEN 5 THEN regress.tune(2)     -- u2's private tune, system note
              WHEN 6 THEN regress.tune(17)    -- deleted public tune
              WHEN 7 THEN NULL
              WHEN 8 THEN regress.tune(29)    -- public tune without genre: nobody
              ELSE CASE WHEN i BETWEEN 300 AND 305 OR i BETWEEN 410 AND 413
                        THEN regress.tune(3)  -- DST rows: system notes of a scottish tune
                        WHEN i % 43 = 0 THEN NULL
                        ELSE regress.tune(1 + regress.h('note-tune' || i) % 300) END END,
       NULL,
       timestamp '2023-06-01' + i * interval '1 hour',
       'note ' || i,
       i % 3 = 0,
       CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN true ELSE false END,
       i % 21 = 0,
       1 + i % 5,
       CASE i WHEN 300 THEN timestamp '2024-03-10 01:59:59.999999'
              WHEN 301 THEN timestamp '2024-03-10 02:00:00'
              WHEN 302 THEN timestamp '2024-03-10 02:30:00.25'
              WHEN 303 THEN timestamp '2024-03-10 02:59:59.999999'
              WHEN 304 THEN timestamp '2024-03-10 03:00:00'
              WHEN 305 THEN timestamp '2024-03-10 03:15:00'
              WHEN 410 THEN timestamp '2024-11-03 00:59:59.999999'
              WHEN 411 THEN timestamp '2024-11-03 01:00:00'
              WHEN 412 THEN timestamp '2024-11-03 01:30:00.5'
              WHEN 413 THEN timestamp '2024-11-03 02:00:00'
              ELSE CASE WHEN i % 12 = 7 THEN regress.tie_a()
                        WHEN i % 40 = 13 THEN regress.tie_b()
                        ELSE timestamp '2024-01-01' + i * interval '14 hours'
                             + regress.h('note-ts' || i) % 1000000 * interval '1 microsecond' END END,
       CASE WHEN i % 7 = 0 THEN NULL ELSE 'device-' || i % 3 END
FROM generate_series(1, 600) AS i;

INSERT INTO reference (id, url, ref_type, tune_ref, user_ref, comment, title,
                       public, favorite, deleted, sync_version, last_modified_at, device_id)
SELECT md5('reference' || i)::uuid,
       'https://example.org/ref/' || i,
       (ARRAY['website', 'audio', 'video', 'sheet'])[1 + i % 4],
       CASE WHEN i = 1 THEN regress.tune(1)
            WHEN i = 2 THEN regress.tune(202)   -- u2's private tune in the tune tie
            WHEN i BETWEEN 250 AND 253 THEN regress.tune(4)   -- DST rows: a nordic tune
            WHEN i BETWEEN 350 AND 352 THEN regress.tune(9)   -- and a Galician one
            WHEN i % 31 = 0 THEN NULL
            ELSE regress.tune(1 + regress.h('reference-tune' || i) % 300) END,
       CASE WHEN i = 1 THEN regress.u(2)            -- u2's row on u1's private tune
            WHEN i BETWEEN 250 AND 253 OR i BETWEEN 350 AND 352 THEN NULL
            WHEN regress.h('reference-owner' || i) % 10 < 7 THEN NULL
            ELSE regress.u(1 + regress.h('reference-user' || i) % 8) END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 'comment ' || i END,
       'reference ' || i,
       i % 4 = 1,
       CASE i % 3 WHEN 0 THEN NULL ELSE i % 3 = 1 END,
       i % 33 = 0,
       1 + i % 2,
       CASE i WHEN 250 THEN timestamp '2024-03-10 02:00:00.000001'
              WHEN 251 THEN timestamp '2024-03-10 02:45:00'
              WHEN 252 THEN timestamp '2024-03-10 03:05:00'
              WHEN 253 THEN timestamp '2024-03-10 03:50:00'
              WHEN 350 THEN timestamp '2024-11-03 01:15:00'
              WHEN 351 THEN timestamp '2024-11-03 01:45:00.75'
              WHEN 352 THEN timestamp '2024-11-03 02:15:00'
              ELSE CASE WHEN i % 11 = 4 THEN regress.tie_a()
                        WHEN i % 37 = 5 THEN regress.tie_b()
                        ELSE timestamp '2023-12-25' + i * interval '17 hours'
                             + regress.h('reference-ts' || i) % 1000000 * interval '1 microsecond' END END,
       'device-' || i % 2
FROM generate_series(1, 500) AS i;

INSERT INTO playlist (playlist_id, user_ref, name, genre_default, deleted, last_modified_at)
VALUES (md5('playlist1')::uuid, regress.u(1), 'u1 main', 'irish', false, '2024-02-01 10:00:00'),
       (md5('playlist2')::uuid, regress.u(1), 'u1 misc', NULL, false, '2024-02-01 10:00:01'),
       (md5('playlist3')::uuid, regress.u(2), 'u2 old', 'cajun', true, '2024-02-02 10:00:00'),
       (md5('playlist4')::uuid, regress.u(2), 'u2 main', 'scottish', false, '2024-02-02 10:00:01'),
       (md5('playlist5')::uuid, regress.u(4), 'u4 main', 'breton', false, '2024-02-04 10:00:00'),
       (md5('playlist6')::uuid, regress.u(6), 'u6 gone', 'nordic', true, '2024-02-06 10:00:00'),
       (md5('playlist7')::uuid, regress.u(8), 'u8 all', 'nordic', false, '2024-02-08 10:00:00');

-- n live public tunes of a genre, by id: playlist contents that stay stable.
CREATE FUNCTION regress.pick_tunes(p_genre text, p_deleted boolean, n int) RETURNS SETOF uuid
LANGUAGE sql STABLE AS $$
    SELECT id FROM tune
    WHERE genre = p_genre AND deleted = p_deleted AND private_for IS NULL
    ORDER BY id LIMIT n
$$;

INSERT INTO playlist_tune (playlist_ref, tune_ref, deleted, last_modified_at)
SELECT md5(p.label)::uuid, t.id, p.pt_deleted, timestamp '2024-02-10 00:00:00'
FROM (VALUES
        -- u1: klezmer counts; balkan only through deleted rows, contra only
        -- through a deleted tune: neither counts.
        ('playlist1', 'klezmer', false, false, 3),
        ('playlist1', 'balkan', false, true, 2),
        ('playlist2', 'contra', true, false, 1),
        -- u2: contra only in a deleted playlist; oldtime counts.
        ('playlist3', 'contra', false, false, 2),
        ('playlist4', 'oldtime', false, false, 2),
        -- u4: shanty counts (one row deleted, two live), cajun only deleted rows.
        ('playlist5', 'shanty', false, false, 2),
        ('playlist5', 'cajun', false, true, 1),
        -- u6: Galician only in a deleted playlist.
        ('playlist6', 'Galician', false, false, 2)
     ) AS p(label, genre, tune_deleted, pt_deleted, n)
CROSS JOIN LATERAL regress.pick_tunes(p.genre, p.tune_deleted, p.n) AS t(id);

INSERT INTO playlist_tune (playlist_ref, tune_ref, deleted, last_modified_at)
VALUES (md5('playlist5')::uuid, (SELECT regress.pick_tunes('shanty', false, 3) OFFSET 2), true,
        timestamp '2024-02-10 00:00:01'),
       -- u1's own private tune (genre by hash) and one without genre.
       (md5('playlist2')::uuid, regress.tune(1), false, timestamp '2024-02-10 00:00:02'),
       (md5('playlist2')::uuid, regress.tune(81), false, timestamp '2024-02-10 00:00:03'),
       -- u2: a public tune without genre.
       (md5('playlist4')::uuid, regress.tune(29), false, timestamp '2024-02-10 00:00:04');

-- u8 keeps one live tune of every genre.
INSERT INTO playlist_tune (playlist_ref, tune_ref, deleted, last_modified_at)
SELECT md5('playlist7')::uuid, regress.pick_tunes(g, false, 1), false, timestamp '2024-02-10 00:00:05'
FROM unnest(regress.genres_with_tunes()) AS g;

INSERT INTO user_genre_selection (user_id, genre_id, created_at)
SELECT regress.u(s.k), s.genre, timestamp '2024-01-15 00:00:00' + s.k * interval '1 minute'
FROM (VALUES (1, 'irish'), (1, 'scottish'),
             (2, 'scottish'), (2, 'bluegrass'),
             (3, 'oldtime'), (3, 'bluegrass'), (3, 'Galician'),
             (6, 'balkan'),
             (7, 'Zydeco'), (7, 'contra'),
             (8, 'Zydeco'), (8, 'irish')) AS s(k, genre);

ANALYZE;
