// The row-returning sync functions: drop-in OFFSET pages and keyset pages.
#pragma once

#include <optional>

#include "backend/pg.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

Datum offset_page(FunctionCallInfo fcinfo, SyncTable table);
Datum keyset_page(FunctionCallInfo fcinfo, SyncTable table);

// The genre array argument `arg`, detoasted, after checking its shape;
// nullopt when NULL.
std::optional<Datum> genre_ids_arg(FunctionCallInfo fcinfo, int arg);

}  // namespace gs::backend
