// The decisions of sync_pull over a cursor's state (core/filter_change.hpp).
// Seen to fail: with begin_change_if_needed keeping the old genres in the
// state, "a genre added starts a change ..." failed (the change would repeat
// forever); with advance_main clearing first_sync on every page, "a first
// sync stays one ..." failed.
#include <catch2/catch.hpp>

#include "core/filter_change.hpp"

namespace {

gs::Cursor at(std::int64_t micros) {
  gs::Cursor cursor;
  cursor.unix_micros = micros;
  cursor.id.fill(0x11);
  return cursor;
}

using Genres = std::vector<std::string>;

}  // namespace

TEST_CASE("no cursor: a first sync of the current filter, moves counted from the horizon") {
  const gs::SyncState state = gs::start_state(std::nullopt, Genres{"a", "b"}, 500);
  CHECK(state.first_sync);
  CHECK_FALSE(state.position);
  CHECK(state.moves_seen == 500);
  CHECK(state.genres == Genres{"a", "b"});
  CHECK_FALSE(state.change);
  CHECK_FALSE(gs::moves_to_check(state, 900));
}

TEST_CASE("a v1 cursor catches up on the whole filter up to its position") {
  gs::PullCursor v1;
  v1.v1 = at(300);
  const gs::SyncState state = gs::start_state(v1, Genres{"a"}, 500);
  CHECK_FALSE(state.first_sync);
  CHECK(state.position == at(300));
  CHECK(state.moves_seen == 300);
  REQUIRE(state.change);
  CHECK(state.change->everything);
  CHECK_FALSE(state.change->progress);
}

TEST_CASE("a v2 cursor is the state itself") {
  gs::SyncState saved;
  saved.position = at(7);
  saved.genres = {"x"};
  gs::PullCursor v2;
  v2.v2 = saved;
  CHECK(gs::start_state(v2, Genres{"a"}, 500) == saved);
}

TEST_CASE("genres that entered or left") {
  CHECK(gs::genres_changed({"a", "b", "d"}, {"b", "c", "d", "e"}) == Genres{"a", "c", "e"});
  CHECK(gs::genres_changed({}, {}).empty());
}

TEST_CASE("a genre added starts a change of that genre; the state takes the new genres") {
  gs::SyncState state;
  state.position = at(100);
  state.moves_seen = 200;
  state.genres = {"a"};
  REQUIRE(gs::moves_to_check(state, 300));
  gs::begin_change_if_needed(state, {"a", "b"}, 300, false);
  REQUIRE(state.change);
  CHECK(state.change->genres == Genres{"b"});
  CHECK(state.change->moves_from == 200);
  CHECK(state.change->moves_to == 200);  // no moves: an empty window
  CHECK(state.genres == Genres{"a", "b"});
  CHECK(state.moves_seen == 300);
  CHECK_FALSE(gs::moves_to_check(state, 400));  // one change at a time

  // Another genre meanwhile waits for the change to end.
  gs::begin_change_if_needed(state, {"a", "b", "c"}, 400, false);
  CHECK(state.change->genres == Genres{"b"});
  gs::advance_change(state, at(50), false);
  CHECK(state.change->progress == at(50));
  gs::advance_change(state, std::nullopt, true);
  CHECK_FALSE(state.change);
  gs::begin_change_if_needed(state, {"a", "b", "c"}, 400, false);
  REQUIRE(state.change);
  CHECK(state.change->genres == Genres{"c"});
}

TEST_CASE("moves start a change over their window") {
  gs::SyncState state;
  state.position = at(100);
  state.moves_seen = 200;
  state.genres = {"a"};
  gs::begin_change_if_needed(state, {"a"}, 300, true);
  REQUIRE(state.change);
  CHECK(state.change->genres.empty());
  CHECK(state.change->moves_from == 200);
  CHECK(state.change->moves_to == 300);
  CHECK(state.moves_seen == 300);
}

TEST_CASE("nothing changed: no change, the moves looked at are not looked at again") {
  gs::SyncState state;
  state.position = at(100);
  state.moves_seen = 200;
  state.genres = {"a"};
  gs::begin_change_if_needed(state, {"a"}, 300, false);
  CHECK_FALSE(state.change);
  CHECK(state.moves_seen == 300);
  // A horizon that went back does not take the window back.
  gs::begin_change_if_needed(state, {"a"}, 250, false);
  CHECK(state.moves_seen == 300);
}

TEST_CASE("a replica that holds nothing yet follows the filter") {
  gs::SyncState state = gs::start_state(std::nullopt, Genres{"a"}, 100);
  gs::begin_change_if_needed(state, {"b"}, 300, false);
  CHECK_FALSE(state.change);
  CHECK(state.genres == Genres{"b"});
  CHECK(state.moves_seen == 300);
}

TEST_CASE("a first sync stays one until its last page") {
  gs::SyncState state = gs::start_state(std::nullopt, Genres{"a"}, 100);
  gs::advance_main(state, at(10), true);
  CHECK(state.first_sync);
  CHECK(state.position == at(10));
  gs::advance_main(state, std::nullopt, true);
  CHECK(state.position == at(10));
  gs::advance_main(state, at(20), false);
  CHECK_FALSE(state.first_sync);
  CHECK(state.position == at(20));
}
