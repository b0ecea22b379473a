#include <catch2/catch.hpp>
#include <cmath>

#include "json_writer.hpp"

using namespace gs::bench;

TEST_CASE("json_quote escapes quotes, backslashes and control characters") {
  CHECK(json_quote("plain") == "\"plain\"");
  CHECK(json_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(json_quote("l1\nl2\tx\r") == "\"l1\\nl2\\tx\\r\"");
  CHECK(json_quote(std::string("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
  CHECK(json_quote("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  CHECK(json_quote("") == "\"\"");
}

TEST_CASE("nested document with commas and indentation") {
  JsonWriter w;
  w.begin_object()
      .key("name")
      .string("pull")
      .key("reps")
      .integer(3)
      .key("ms")
      .number(1.5)
      .key("nothing")
      .number(std::nan(""))
      .key("ok")
      .boolean(true)
      .key("list")
      .begin_array()
      .integer(1)
      .null()
      .end_array()
      .key("empty")
      .begin_object()
      .end_object()
      .end_object();
  CHECK(w.str() ==
        "{\n"
        "  \"name\": \"pull\",\n"
        "  \"reps\": 3,\n"
        "  \"ms\": 1.5,\n"
        "  \"nothing\": null,\n"
        "  \"ok\": true,\n"
        "  \"list\": [\n"
        "    1,\n"
        "    null\n"
        "  ],\n"
        "  \"empty\": {}\n"
        "}");
}

TEST_CASE("misuse is caught, not written as broken JSON") {
  JsonWriter a;
  a.begin_object();
  CHECK_THROWS_AS(a.string("no key"), std::logic_error);
  CHECK_THROWS_AS(a.str(), std::logic_error);
  CHECK_THROWS_AS(a.end_array(), std::logic_error);

  JsonWriter b;
  b.begin_array();
  CHECK_THROWS_AS(b.key("k"), std::logic_error);

  JsonWriter c;
  c.integer(1);
  CHECK_THROWS_AS(c.integer(2), std::logic_error);
}
