// The envelope's value writers against PostgreSQL's own text: every expected
// string below is what `SELECT to_jsonb(<value>)::text` printed on
// PostgreSQL 15 (the timestamps' numbers are `t - '2000-01-01'` in
// microseconds).
//
// Seen to fail: with the fraction's trailing zeros kept ("12:34:56.100000")
// and " BC" dropped, five timestamp vectors failed (the fuzz target
// tests/fuzz/fuzz_json_text.cpp aborted on the same build).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "core/json_text.hpp"

namespace {

std::string timestamp(std::int64_t micros) {
  char buf[gs::json_timestamp_max_size];
  return std::string(buf, gs::write_json_timestamp(buf, micros));
}

std::string string(std::string_view text) {
  std::string buf(gs::json_string_max_size(text.size()), '\0');
  buf.resize(static_cast<std::size_t>(gs::write_json_string(buf.data(), text) - buf.data()));
  return buf;
}

std::string integer(std::int64_t value) {
  char buf[gs::json_int_max_size];
  return std::string(buf, gs::write_json_int(buf, value));
}

}  // namespace

TEST_CASE("timestamps as to_jsonb writes them") {
  CHECK(timestamp(0) == "\"2000-01-01T00:00:00\"");
  CHECK(timestamp(-1) == "\"1999-12-31T23:59:59.999999\"");
  CHECK(timestamp(762525296100000) == "\"2024-02-29T12:34:56.1\"");
  CHECK(timestamp(762525296000001) == "\"2024-02-29T12:34:56.000001\"");
  CHECK(timestamp(-946684799876550) == "\"1970-01-01T00:00:00.12345\"");
  CHECK(timestamp(-63082281600000000) == "\"0001-01-01T00:00:00\"");
  CHECK(timestamp(-63082281600500000) == "\"0001-12-31T23:59:59.5 BC\"");
  CHECK(timestamp(-211781865600000000) == "\"4713-11-24T00:00:00 BC\"");
  CHECK(timestamp(252460800000120000) == "\"10000-03-01T00:00:00.12\"");
  CHECK(timestamp(9223371331199999999) == "\"294276-12-31T23:59:59.999999\"");
  CHECK(timestamp(INT64_MIN) == "\"-infinity\"");
  CHECK(timestamp(INT64_MAX) == "\"infinity\"");
}

TEST_CASE("strings escaped as escape_json escapes them") {
  CHECK(string("a\"b\\c\b\f\n\r\t\x01\x1f\x7f \xc3\xa9 \xf0\x9f\x98\x80 /") ==
        "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\x7f \xc3\xa9 \xf0\x9f\x98\x80 /\"");
  CHECK(string("") == "\"\"");
  CHECK(string(std::string_view("\0", 1)) == "\"\\u0000\"");
  // The worst case fills the bound exactly.
  const std::string controls(100, '\x02');
  CHECK(string(controls).size() == gs::json_string_max_size(controls.size()));
}

TEST_CASE("uuids, integers and booleans") {
  const unsigned char bytes[16] = {0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8,
                                   0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11};
  char buf[gs::json_uuid_size];
  CHECK(std::string(buf, gs::write_json_uuid(buf, bytes)) ==
        "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"");
  CHECK(integer(0) == "0");
  CHECK(integer(-5) == "-5");
  CHECK(integer(INT64_MIN) == "-9223372036854775808");
  CHECK(integer(INT64_MAX) == "9223372036854775807");
  char b[gs::json_bool_max_size];
  CHECK(std::string(b, gs::write_json_bool(b, false)) == "false");
  CHECK(std::string(b, gs::write_json_bool(b, true)) == "true");
}

TEST_CASE("keys in jsonb's order") {
  // to_jsonb of (1 AS b, 2 AS aa, 3 AS a, true AS "Z", NULL AS z, -5 AS "é")
  // printed {"Z": true, "a": 3, "b": 1, "z": null, "aa": 2, "é": -5}.
  CHECK(gs::jsonb_key_before("Z", "a"));
  CHECK(gs::jsonb_key_before("b", "z"));
  CHECK(gs::jsonb_key_before("z", "aa"));
  CHECK(gs::jsonb_key_before("aa", "\xc3\xa9"));
  CHECK_FALSE(gs::jsonb_key_before("\xc3\xa9", "aa"));
  CHECK(gs::jsonb_key_before("zz", "\xc3\xa9"));
  CHECK_FALSE(gs::jsonb_key_before("a", "a"));
}
