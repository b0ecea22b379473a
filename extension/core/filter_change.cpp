#include "core/filter_change.hpp"

#include <algorithm>
#include <iterator>

namespace gs {

SyncState start_state(const std::optional<PullCursor> &cursor,
                      const std::vector<std::string> &genres_now, std::int64_t horizon) {
  if (cursor && cursor->v2) return *cursor->v2;
  SyncState state;
  state.genres = genres_now;
  if (!cursor) {
    state.first_sync = true;
    state.moves_seen = horizon;
    return state;
  }
  state.position = cursor->v1;
  state.moves_seen = cursor->v1->unix_micros;
  FilterChange everything;
  everything.everything = true;
  state.change = everything;
  return state;
}

std::vector<std::string> genres_changed(const std::vector<std::string> &a,
                                        const std::vector<std::string> &b) {
  std::vector<std::string> changed;
  std::set_symmetric_difference(a.begin(), a.end(), b.begin(), b.end(),
                                std::back_inserter(changed));
  return changed;
}

bool moves_to_check(const SyncState &state, std::int64_t horizon) {
  return state.position && !state.change && state.moves_seen < horizon;
}

void begin_change_if_needed(SyncState &state, const std::vector<std::string> &genres_now,
                            std::int64_t horizon, bool moves_found) {
  if (state.change) {
    // Genres that change again while a change of genres runs: the rows it
    // has passed were judged under genres that no longer hold (one it
    // removed may be in the filter again), so it starts over with the union.
    // (A catch-up of everything delivers under the current genres and
    // removes nothing; the change after it settles what differs.)
    std::vector<std::string> changed = genres_changed(state.genres, genres_now);
    if (state.change->everything || changed.empty()) return;
    std::vector<std::string> genres;
    std::set_union(state.change->genres.begin(), state.change->genres.end(), changed.begin(),
                   changed.end(), std::back_inserter(genres));
    state.change->genres = std::move(genres);
    state.change->progress.reset();
    state.genres = genres_now;
    return;
  }
  if (!state.position) {
    // Nothing delivered yet: nothing to catch up or remove.
    state.genres = genres_now;
    state.moves_seen = std::max(state.moves_seen, horizon);
    return;
  }
  std::vector<std::string> changed = genres_changed(state.genres, genres_now);
  const std::int64_t seen = state.moves_seen;
  // The caller looked for moves in [seen, horizon) (moves_to_check): an
  // empty window need not be looked at again.
  state.moves_seen = std::max(seen, horizon);
  if (changed.empty() && !moves_found) return;
  FilterChange change;
  change.genres = std::move(changed);
  change.moves_from = seen;
  change.moves_to = moves_found ? horizon : seen;
  state.change = std::move(change);
  state.genres = genres_now;
}

void advance_change(SyncState &state, const std::optional<Cursor> &progress, bool done) {
  if (done) {
    state.change.reset();
  } else if (progress) {
    state.change->progress = progress;
  }
}

void advance_main(SyncState &state, const std::optional<Cursor> &last, bool more) {
  if (last) state.position = last;
  if (!more) state.first_sync = false;
}

}  // namespace gs
