// Whether a page reads the key index (extension/sql/1.1--1.2/10_key_index.sql)
// and how.
#pragma once

#include "backend/pg.hpp"
#include "backend/rows_query.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

// Sets shape.access for this call. Notes and references, while the key
// index is in use for the table (every trigger that keeps it present and
// firing ALWAYS), the caller may read it and no row security applies to the
// caller there: a user with at most max_genre_streams genres reads one
// stream per genre, and args.genre_ids becomes those genres, distinct and
// without NULLs; a user with more reads the keys by time. Tunes, while the
// key index's two indexes on tune are valid: by genre for such a user.
// Otherwise the app tables.
void choose_rows_access(Oid schema, RowsShape &shape, RowsArgs &args);

// Whether the key index is in use for notes or references and serves this
// caller (the conditions above); never for tunes.
bool keys_serve(Oid schema, SyncTable table);

}  // namespace gs::backend
