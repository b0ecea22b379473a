-- The app's schema that genre_sync serves (see docs/design.md, "The app schema").
-- Used by the pg_regress fixture, genre-sync-datagen and the benchmark.
-- Tables only: the extension's supporting indexes are created by
-- sync_create_indexes() / genre-sync-indexer, never here.

CREATE TABLE genre (
    id          text PRIMARY KEY,
    name        text,
    region      text,
    description text
);

CREATE TABLE user_profile (
    id               uuid PRIMARY KEY,
    name             text,
    email            text,
    last_modified_at timestamp NOT NULL DEFAULT now()
);

CREATE TABLE instrument (
    id               uuid PRIMARY KEY,
    private_to_user  uuid REFERENCES user_profile (id),
    instrument       text,
    description      text,
    genre_default    text REFERENCES genre (id),
    deleted          boolean NOT NULL DEFAULT false,
    last_modified_at timestamp NOT NULL DEFAULT now()
);

CREATE TABLE tune (
    id               uuid PRIMARY KEY,
    title            text,
    type             text,
    mode             text,
    structure        text,
    incipit          text,
    genre            text REFERENCES genre (id),
    private_for      uuid REFERENCES user_profile (id),
    deleted          boolean NOT NULL DEFAULT false,
    sync_version     integer NOT NULL DEFAULT 1,
    last_modified_at timestamp NOT NULL DEFAULT now(),
    device_id        text
);

CREATE TABLE note (
    id               uuid PRIMARY KEY,
    user_ref         uuid REFERENCES user_profile (id),
    tune_ref         uuid REFERENCES tune (id),
    playlist_ref     uuid,
    created_date     timestamp,
    note_text        text,
    public           boolean NOT NULL DEFAULT false,
    favorite         boolean,
    deleted          boolean NOT NULL DEFAULT false,
    sync_version     integer NOT NULL DEFAULT 1,
    last_modified_at timestamp NOT NULL DEFAULT now(),
    device_id        text
);

CREATE TABLE reference (
    id               uuid PRIMARY KEY,
    url              text NOT NULL,
    ref_type         text,
    tune_ref         uuid REFERENCES tune (id),
    user_ref         uuid REFERENCES user_profile (id),
    comment          text,
    title            text,
    public           boolean NOT NULL DEFAULT false,
    favorite         boolean,
    deleted          boolean NOT NULL DEFAULT false,
    sync_version     integer NOT NULL DEFAULT 1,
    last_modified_at timestamp NOT NULL DEFAULT now(),
    device_id        text
);

CREATE TABLE playlist (
    playlist_id      uuid PRIMARY KEY,
    user_ref         uuid NOT NULL REFERENCES user_profile (id),
    name             text,
    instrument_ref   uuid REFERENCES instrument (id),
    genre_default    text REFERENCES genre (id),
    deleted          boolean NOT NULL DEFAULT false,
    sync_version     integer NOT NULL DEFAULT 1,
    last_modified_at timestamp NOT NULL DEFAULT now()
);

CREATE TABLE playlist_tune (
    playlist_ref     uuid NOT NULL REFERENCES playlist (playlist_id),
    tune_ref         uuid NOT NULL REFERENCES tune (id),
    current          timestamp,
    learned          timestamp,
    deleted          boolean NOT NULL DEFAULT false,
    sync_version     integer NOT NULL DEFAULT 1,
    last_modified_at timestamp NOT NULL DEFAULT now(),
    PRIMARY KEY (playlist_ref, tune_ref)
);

CREATE TABLE user_genre_selection (
    user_id    uuid NOT NULL REFERENCES user_profile (id),
    genre_id   text NOT NULL REFERENCES genre (id),
    created_at timestamp NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, genre_id)
);
