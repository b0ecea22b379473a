// The decisions of a sync_pull call over a v2 cursor's state (core/cursor.hpp):
// where a pull starts, when a filter change begins, and how a page moves the
// state on (docs/protocol.md, "Filter changes"). Pure C++, so every path of
// it is unit-tested outside a backend; the backend runs the queries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/cursor.hpp"

namespace gs {

// The state a call starts from. No cursor: a first sync under the current
// genres, its moves counted from the horizon. A v1 cursor (a position only,
// from release 1.2 or a parallel fetch's bounds) cannot say which filter its
// replica holds: every row of the current filter up to its position is
// delivered once more (a change of kind "everything"), and the moves after
// its position follow.
SyncState start_state(const std::optional<PullCursor> &cursor,
                      const std::vector<std::string> &genres_now, std::int64_t horizon);

// The genres in one list and not the other, in "C" order.
std::vector<std::string> genres_changed(const std::vector<std::string> &a,
                                        const std::vector<std::string> &b);

// Whether the moves of [state.moves_seen, horizon) must be looked for: only
// while nothing else is under way and the replica holds rows.
bool moves_to_check(const SyncState &state, std::int64_t horizon);

// Before a page: a replica that holds nothing yet follows the filter as it is
// now; otherwise a change begins when the genres differ or rows moved
// (moves_found: some move is stamped in [state.moves_seen, horizon), looked
// for when moves_to_check said so). One change runs at a time; what differs
// after it is the next one's.
void begin_change_if_needed(SyncState &state, const std::vector<std::string> &genres_now,
                            std::int64_t horizon, bool moves_found);

// After a change's page: progress is the last candidate handled (nullopt:
// none), done when the change has no more candidates.
void advance_change(SyncState &state, const std::optional<Cursor> &progress, bool done);

// After a page of the main stream: last is its last row (nullopt: none),
// more whether rows follow below the horizon and the until bound.
void advance_main(SyncState &state, const std::optional<Cursor> &last, bool more);

}  // namespace gs
