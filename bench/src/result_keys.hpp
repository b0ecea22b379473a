#pragma once
// The (last_modified_at, id) keys of a user's whole result, read once and
// untimed: they place deep-page cursors and incremental horizons.
#include <string>
#include <vector>

#include "page_fetch.hpp"

namespace gs::bench {

// incremental false: the first-sync result (what `pull` fetches).
// incremental true: every row an incremental pull can see (for tunes, the
// deleted ones too).
std::vector<Cursor> result_keys(tools::PgConnection &conn, Table t, const BenchUser &user,
                                bool incremental);

}  // namespace gs::bench
