#include <catch2/catch.hpp>

#include <string>

#include "core/error.hpp"
#include "core/jwt_claims.hpp"

namespace {

// The SQLSTATE of a claims text the reader refuses, or "" when it reads it.
std::string refusal(const std::string &json) {
  try {
    gs::parse_jwt_claims(json);
  } catch (const gs::Error &e) {
    return e.sqlstate();
  }
  return "";
}

}  // namespace

TEST_CASE("PostgREST's claims: sub and role, other members skipped") {
  auto c = gs::parse_jwt_claims(
      R"({"aud":"authenticated","exp":1700000000,"sub":"0b2c6f1e-6bd2-4c4e-9a0e-5a0c9a1b2c3d",)"
      R"("email":"a@b.c","app_metadata":{"provider":"email","providers":["email"]},)"
      R"("user_metadata":{},"role":"authenticated","aal":"aal1","amr":[{"method":"password",)"
      R"("timestamp":1699996400}],"session_id":"x","is_anonymous":false,"n":null,"f":-1.5e+3})");
  REQUIRE(c.sub);
  CHECK(*c.sub == "0b2c6f1e-6bd2-4c4e-9a0e-5a0c9a1b2c3d");
  REQUIRE(c.role);
  CHECK(*c.role == "authenticated");
}

TEST_CASE("absent claims stay absent; nested sub and role are data") {
  auto c = gs::parse_jwt_claims(R"( { "role" : "anon" , "x" : {"sub":"u","role":"r"} } )");
  CHECK_FALSE(c.sub);
  REQUIRE(c.role);
  CHECK(*c.role == "anon");
  auto empty = gs::parse_jwt_claims("{}");
  CHECK_FALSE(empty.sub);
  CHECK_FALSE(empty.role);
}

TEST_CASE("string escapes decode to UTF-8") {
  auto c = gs::parse_jwt_claims(
      R"({"sub":"a\"b\\c\/d\b\f\n\r\t","role":"\u00e9\u20ac\ud83c\udfb5\u0041"})");
  CHECK(*c.sub == "a\"b\\c/d\b\f\n\r\t");
  CHECK(*c.role ==
        "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x8E\xB5"
        "A");
  CHECK(*gs::parse_jwt_claims("{\"sub\":\"caf\xC3\xA9\"}").sub == "caf\xC3\xA9");
}

TEST_CASE("malformed claims are 28000 naming the setting and the byte") {
  try {
    gs::parse_jwt_claims(R"({"sub":"x",})");
    FAIL("accepted a trailing comma");
  } catch (const gs::Error &e) {
    CHECK(e.sqlstate() == "28000");
    CHECK(std::string(e.what()) == "request.jwt.claims is not a valid JSON object");
    CHECK(e.detail() == "Expected a member name at byte 11.");
  }
  for (const char *bad : {"",
                          " ",
                          "null",
                          "[]",
                          "\"sub\"",
                          "1",
                          "{",
                          "}",
                          "{}{}",
                          "{} x",
                          "{\"sub\"}",
                          "{\"sub\":}",
                          "{\"a\":1,}",
                          "{,}",
                          "{\"a\" 1}",
                          "{'a':1}",
                          "{a:1}",
                          "{\"a\":01}",
                          "{\"a\":1.}",
                          "{\"a\":.5}",
                          "{\"a\":-}",
                          "{\"a\":1e}",
                          "{\"a\":+1}",
                          "{\"a\":tru}",
                          "{\"a\":True}",
                          "{\"a\":nul}",
                          "{\"a\":[1,]}",
                          "{\"a\":[1 2]}",
                          "{\"a\":NaN}",
                          "{\"a\":\"\\x\"}",
                          "{\"a\":\"\\u12\"}",
                          "{\"a\":\"\\u12G4\"}",
                          "{\"a\":\"open}",
                          "{\"a\":\"tab\there\"}",
                          "{\"a\":\"\\ud800\"}",
                          "{\"a\":\"\\udc00\"}",
                          "{\"a\":\"\\ud800\\u0041\"}",
                          "{\"a\":\"\\u0000\"}",
                          "{\"a\":\"end\\"}) {
    INFO(bad);
    CHECK(refusal(bad) == "28000");
  }
}

TEST_CASE("sub and role must be single strings") {
  for (const char *bad :
       {R"({"sub":1})", R"({"sub":null})", R"({"sub":["a"]})", R"({"role":{"a":"b"}})",
        R"({"role":true})", R"({"sub":"a","sub":"b"})", R"({"role":"a","x":1,"role":"a"})"}) {
    INFO(bad);
    CHECK(refusal(bad) == "28000");
  }
  CHECK(refusal(R"({"other":1,"other":2})") == "");
}

TEST_CASE("nesting is bounded") {
  auto nested = [](int depth) {
    std::string arrays = std::string(depth - 1, '[') + std::string(depth - 1, ']');
    return "{\"a\":" + arrays + "}";
  };
  CHECK(refusal(nested(gs::max_claims_depth)) == "");
  CHECK(refusal(nested(gs::max_claims_depth + 1)) == "28000");
  CHECK(refusal("{\"a\":" + std::string(100000, '[')) == "28000");
}
