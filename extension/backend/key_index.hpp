// Whether a page reads the key index (extension/sql/1.1--1.2/10_key_index.sql,
// its functions as 1.3 defines them in extension/sql/1.2--1.3/20_key_index.sql)
// and how.
#pragma once

#include "backend/pg.hpp"
#include "backend/rows_query.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

// Sets shape.access (and shape.split) for this call. Notes and references,
// while the key index is in use for the table (every trigger that keeps it
// present and firing ALWAYS): a user with at most max_genre_streams genres
// reads one stream per genre, and args.genre_ids becomes those genres,
// distinct and without NULLs; a user with more reads the keys by time. A
// caller that may not read the keys itself (key_reader below) gets its
// pages' candidates from the owner (SplitStep::owner_keys), its drop-ins
// the app tables. Tunes, while the key index's two indexes on tune are
// valid: by genre for such a user. Otherwise the app tables.
void choose_rows_access(Oid schema, RowsShape &shape, RowsArgs &args);

// sync_key_index_names() -> (insert_trigger, update_trigger, delete_trigger,
// truncate_trigger, tune_trigger, tune_genre_index, tune_private_index,
// note_keys, reference_keys): the names of the key index's objects, for the
// update script that defines the functions creating them (only it calls it).
Datum key_index_names_function(FunctionCallInfo fcinfo);

// Who may read the key index of notes or references for this call: nobody
// while it is not in use (a trigger that keeps it is missing or does not
// fire ALWAYS; always for tunes); the caller, who has SELECT on the key
// table and no row security in force on the rows' table or on tune; else
// the extension's owner, on the caller's behalf, for candidates whose rows
// the caller then reads with its own rights (SplitStep, backend/caller_keys.hpp).
enum class KeysReader { nobody, caller, owner };
KeysReader key_reader(Oid schema, SyncTable table);

// Whether the key index is in use for notes or references and the caller
// may read it (KeysReader::caller); never for tunes.
bool keys_serve(Oid schema, SyncTable table);

}  // namespace gs::backend
