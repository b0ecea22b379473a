// The row-returning sync functions: drop-in OFFSET pages and keyset pages.
#pragma once

#include "backend/pg.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

Datum offset_page(FunctionCallInfo fcinfo, SyncTable table);
Datum keyset_page(FunctionCallInfo fcinfo, SyncTable table);

}  // namespace gs::backend
