#include <catch2/catch.hpp>

#include <string>

#include "core/error.hpp"
#include "core/identity_check.hpp"

namespace {

const char *const me = "0b2c6f1e-6bd2-4c4e-9a0e-5a0c9a1b2c3d";
const gs::UuidBytes my_id = *gs::parse_uuid(me, gs::UuidSyntax::postgres_input);
const gs::UuidBytes other_id = *gs::parse_uuid("11111111-2222-3333-4444-555555555555");

// "ok" or the SQLSTATE and message require_request_user throws.
std::string verdict(const gs::RequestIdentity &request, const gs::UuidBytes &user) {
  try {
    gs::require_request_user(request, user, "authenticated");
  } catch (const gs::Error &e) {
    return e.sqlstate() + " " + e.what();
  }
  return "ok";
}

std::string claims_with_sub(const std::string &sub) {
  return R"({"sub":")" + sub + R"(","role":"authenticated"})";
}

}  // namespace

TEST_CASE("a request carries an identity when any of its settings is set") {
  CHECK_FALSE(gs::carries_identity({"", "", ""}));
  CHECK(gs::carries_identity({"{}", "", ""}));
  CHECK(gs::carries_identity({"", me, ""}));
  CHECK(gs::carries_identity({"", "", "anon"}));
}

TEST_CASE("the authenticated user may act for itself only") {
  const std::string claims = claims_with_sub(me);
  CHECK(verdict({claims, "", ""}, my_id) == "ok");
  CHECK(verdict({claims, "", ""}, other_id) ==
        "42501 p_user_id does not match the authenticated user");
  const std::string upper = claims_with_sub("{0B2C6F1E6BD24C4E9A0E5A0C9A1B2C3D}");
  CHECK(verdict({upper, "", ""}, my_id) == "ok");
}

TEST_CASE("the mismatch error says who is who") {
  try {
    gs::require_request_user({claims_with_sub(me), "", ""}, other_id, "authenticated");
    FAIL("no error");
  } catch (const gs::Error &e) {
    CHECK(e.detail() ==
          "p_user_id is 11111111-2222-3333-4444-555555555555, the request's \"sub\" claim is "
          "\"0b2c6f1e-6bd2-4c4e-9a0e-5a0c9a1b2c3d\", and role \"authenticated\" is not trusted.");
    CHECK(e.hint() ==
          "Pass the authenticated user's own id, or call as a role listed in "
          "genre_sync.trusted_roles.");
  }
}

TEST_CASE("a sub that is no uuid matches no user") {
  CHECK(verdict({claims_with_sub("user-42"), "", ""}, my_id) ==
        "42501 p_user_id does not match the authenticated user");
  CHECK(verdict({claims_with_sub(""), "", ""}, my_id) ==
        "42501 p_user_id does not match the authenticated user");
}

TEST_CASE("claims without a sub (the anonymous role) act for nobody") {
  CHECK(verdict({R"({"role":"anon"})", "", ""}, my_id) ==
        "42501 p_user_id requires an authenticated user");
  CHECK(verdict({"{}", "", ""}, my_id) == "42501 p_user_id requires an authenticated user");
  CHECK(verdict({"", "", "anon"}, my_id) == "42501 p_user_id requires an authenticated user");
}

TEST_CASE("the older one-setting-per-claim form") {
  CHECK(verdict({"", me, "authenticated"}, my_id) == "ok");
  CHECK(verdict({"", me, ""}, other_id) == "42501 p_user_id does not match the authenticated user");
}

TEST_CASE("request.jwt.claims wins over the older settings") {
  CHECK(verdict({claims_with_sub(me), "11111111-2222-3333-4444-555555555555", ""}, my_id) == "ok");
  CHECK(verdict({R"({"role":"anon"})", me, ""}, my_id) ==
        "42501 p_user_id requires an authenticated user");
}

TEST_CASE("malformed claims are 28000, not a pass") {
  CHECK(verdict({"{\"sub\":", me, ""}, my_id) ==
        "28000 request.jwt.claims is not a valid JSON object");
  CHECK(verdict({"not json", "", ""}, my_id) ==
        "28000 request.jwt.claims is not a valid JSON object");
}
