// The one uuid parser and formatter (core/uuid_text.hpp). Seen to fail: with
// the canonical syntax's round-trip check disabled (parse_uuid accepting every
// PostgreSQL input form as canonical), "the canonical syntax ..." failed here
// and so did test_cursor.cpp's rejection of non-canonical cursors.
#include <catch2/catch.hpp>

#include "core/uuid_text.hpp"

namespace {

const gs::UuidBytes expected = {0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8,
                                0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11};

}  // namespace

TEST_CASE("uuid text in every form PostgreSQL's uuid input accepts") {
  // Expected values: SELECT '<text>'::uuid in psql, which reads every one of
  // these as a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11.
  for (const char *text :
       {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
        "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}"}) {
    INFO(text);
    auto parsed = gs::parse_uuid(text, gs::UuidSyntax::postgres_input);
    REQUIRE(parsed);
    CHECK(*parsed == expected);
  }
}

TEST_CASE("anything else is no uuid") {
  for (const char *text :
       {"", "{}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-", "-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "a0eeb-c99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
        " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "anon",
        "{"}) {
    INFO(text);
    CHECK_FALSE(gs::parse_uuid(text, gs::UuidSyntax::postgres_input));
    CHECK_FALSE(gs::parse_uuid(text));
  }
}

TEST_CASE("the canonical syntax is PostgreSQL's uuid output and nothing else") {
  REQUIRE(gs::parse_uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
  CHECK(*gs::parse_uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11") == expected);
  for (const char *text :
       {"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380A11",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
        "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "a0eebc99-9c0b4ef8-bb6d-6bb9bd380a11-"}) {
    INFO(text);
    CHECK_FALSE(gs::parse_uuid(text));
  }
}

TEST_CASE("the formatter writes the canonical text") {
  CHECK(gs::format_uuid(expected) == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  CHECK(gs::format_uuid(gs::UuidBytes{}) == "00000000-0000-0000-0000-000000000000");
  gs::UuidBytes ff;
  ff.fill(0xff);
  CHECK(gs::format_uuid(ff) == "ffffffff-ffff-ffff-ffff-ffffffffffff");
}
