#include <catch2/catch.hpp>

#include <climits>

#include "core/cursor.hpp"
#include "core/error.hpp"

namespace {

const std::string some_id = "0123abcd-4567-89ef-0a1b-2c3d4e5f6789";

}  // namespace

TEST_CASE("cursors round-trip exactly") {
  for (std::int64_t micros :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{1764083045123456},
        gs::min_unix_micros, std::int64_t{INT64_MAX}}) {
    std::string text = "v1:" + std::to_string(micros) + ":" + some_id;
    auto cursor = gs::try_parse_cursor(text);
    REQUIRE(cursor);
    CHECK(cursor->unix_micros == micros);
    CHECK(gs::format_cursor(*cursor) == text);
  }
}

TEST_CASE("a timestamp's cursor number, 22008 past the range of cursors") {
  // PostgreSQL's timestamp 0 is 2000-01-01, 946684800 s after 1970.
  CHECK(gs::cursor_unix_micros(0, "x") == 946684800000000);
  CHECK(gs::cursor_unix_micros(INT64_MIN, "x") == gs::min_unix_micros);
  CHECK(gs::cursor_unix_micros(INT64_MAX - 946684800000000, "x") == INT64_MAX);
  for (std::int64_t beyond : {INT64_MAX - 946684800000000 + 1, std::int64_t{INT64_MAX}}) {
    try {
      gs::cursor_unix_micros(beyond, "p_after_timestamp");
      FAIL("no error");
    } catch (const gs::Error &e) {
      CHECK(e.sqlstate() == "22008");
      CHECK(std::string(e.what()) == "p_after_timestamp is beyond the range of cursors");
    }
  }
}

TEST_CASE("the uuid bytes are read in order") {
  auto cursor = gs::try_parse_cursor("v1:5:" + some_id);
  REQUIRE(cursor);
  CHECK(cursor->id[0] == 0x01);
  CHECK(cursor->id[1] == 0x23);
  CHECK(cursor->id[4] == 0x45);
  CHECK(cursor->id[15] == 0x89);
}

TEST_CASE("anything but a canonical v1 cursor is rejected") {
  const char *bad[] = {
      "",
      "v1",
      "v1:",
      "v1::"
      "0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "v2:5:0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "V1:5:0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "v1:+5:0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "v1:05:0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "v1:-0:0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "v1:-:0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "v1: 5:0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "v1:5 :0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "v1:1.5:0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "v1:9223372036854775808:0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "v1:-9222425352054775809:0123abcd-4567-89ef-0a1b-2c3d4e5f6789",
      "v1:5:0123ABCD-4567-89ef-0a1b-2c3d4e5f6789",
      "v1:5:0123abcd45-67-89ef-0a1b-2c3d4e5f6789",
      "v1:5:0123abcd-4567-89ef-0a1b-2c3d4e5f678",
      "v1:5:0123abcd-4567-89ef-0a1b-2c3d4e5f67890",
      "v1:5:0123abcd-4567-89ef-0a1b-2c3d4e5f678g",
      "v1:5:{0123abcd-4567-89ef-0a1b-2c3d4e5f6789}",
      "v1:5:0123abcd-4567-89ef-0a1b-2c3d4e5f6789:",
      "v1:5:0123abcd456789ef0a1b2c3d4e5f6789",
  };
  for (const char *text : bad) {
    INFO(text);
    CHECK_FALSE(gs::try_parse_cursor(text));
  }
  CHECK_FALSE(
      gs::try_parse_cursor(std::string_view("v1:5:0123abcd-4567-89ef-0a1b-2c3d4e5f678\0", 41)));
}

TEST_CASE("a malformed cursor is 22P02 naming the argument, shown safely") {
  try {
    gs::parse_cursor("v1:x\xc3:" + std::string(100, 'a'), "p_cursor");
    FAIL("no error");
  } catch (const gs::Error &e) {
    CHECK(e.sqlstate() == "22P02");
    CHECK(std::string(e.what()) ==
          "invalid cursor in p_cursor: \"v1:x?:" + std::string(74, 'a') + "...\"");
    CHECK(e.detail() ==
          "A cursor is the exact text sync_pull returned in next_cursor (v2/...), or a "
          "position v1:<microseconds since 1970-01-01>:<lower-case uuid>.");
  }
}
