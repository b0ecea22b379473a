-- The extension reads the app's tables in its own schema. Check they are all
-- there first, so a missing one is named plainly instead of surfacing as an
-- error from deep inside a function definition.
DO $check$
DECLARE
    -- table, column, type the functions compare it as
    required CONSTANT text[][] := ARRAY[
        ['genre', 'id', 'text'],
        ['user_profile', 'id', 'uuid'],
        ['tune', 'id', 'uuid'], ['tune', 'genre', 'text'], ['tune', 'private_for', 'uuid'],
        ['tune', 'deleted', 'boolean'], ['tune', 'last_modified_at', 'timestamp without time zone'],
        ['note', 'id', 'uuid'], ['note', 'tune_ref', 'uuid'], ['note', 'user_ref', 'uuid'],
        ['note', 'public', 'boolean'], ['note', 'deleted', 'boolean'],
        ['note', 'last_modified_at', 'timestamp without time zone'],
        ['reference', 'id', 'uuid'], ['reference', 'tune_ref', 'uuid'],
        ['reference', 'user_ref', 'uuid'], ['reference', 'public', 'boolean'],
        ['reference', 'deleted', 'boolean'],
        ['reference', 'last_modified_at', 'timestamp without time zone'],
        ['playlist', 'playlist_id', 'uuid'], ['playlist', 'user_ref', 'uuid'],
        ['playlist', 'genre_default', 'text'], ['playlist', 'deleted', 'boolean'],
        ['playlist_tune', 'playlist_ref', 'uuid'], ['playlist_tune', 'tune_ref', 'uuid'],
        ['playlist_tune', 'deleted', 'boolean'],
        ['user_genre_selection', 'user_id', 'uuid'], ['user_genre_selection', 'genre_id', 'text']];
    schema_name CONSTANT name := '@extschema@';
    i int;
    found_type text;
BEGIN
    FOR i IN 1 .. array_length(required, 1) LOOP
        IF to_regclass(format('%I.%I', schema_name, required[i][1])) IS NULL THEN
            RAISE EXCEPTION 'genre_sync requires table %.%', schema_name, required[i][1]
                USING ERRCODE = 'undefined_table',
                      HINT = 'Create the app schema before CREATE EXTENSION genre_sync.';
        END IF;
        SELECT atttypid::regtype::text INTO found_type
        FROM pg_catalog.pg_attribute
        WHERE attrelid = format('%I.%I', schema_name, required[i][1])::regclass
          AND attname = required[i][2] AND attnum > 0 AND NOT attisdropped;
        IF found_type IS NULL THEN
            RAISE EXCEPTION 'genre_sync requires column %.%.%',
                    schema_name, required[i][1], required[i][2]
                USING ERRCODE = 'undefined_column',
                      HINT = 'Create the app schema before CREATE EXTENSION genre_sync.';
        END IF;
        IF found_type <> required[i][3] THEN
            RAISE EXCEPTION 'genre_sync requires column %.%.% to be of type %, not %',
                    schema_name, required[i][1], required[i][2], required[i][3], found_type
                USING ERRCODE = 'datatype_mismatch';
        END IF;
    END LOOP;
END
$check$;
