// Text cursors (core/cursor.hpp) to and from the column's own values.
#pragma once

#include <optional>
#include <string>

#include "backend/pg.hpp"
#include "core/cursor.hpp"

namespace gs::backend {

// The cursor in argument `arg`, strictly parsed (22P02 naming `name`).
std::optional<Cursor> cursor_arg(FunctionCallInfo fcinfo, int arg, const char *name);

// The cursor's position as column values, palloc'd in the current context.
Datum cursor_timestamp(const Cursor &cursor);
Datum cursor_id(const Cursor &cursor);

// The cursor of a row; 22008 if its timestamp has no cursor (+infinity or
// the last 30 years of PostgreSQL's range).
Cursor row_cursor(Timestamp last_modified_at, const pg_uuid_t *id);

}  // namespace gs::backend
