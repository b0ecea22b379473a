// The claims PostgREST stores in the request.jwt.claims setting: a JSON
// object, of which the caller check needs "sub" (the authenticated user) and
// "role". The reader is strict RFC 8259 JSON because a lenient one is an
// attack surface: two readers that disagree about a token are how claims get
// smuggled past a check.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gs {

namespace sqlstate {
inline constexpr const char *invalid_authorization_specification = "28000";
}  // namespace sqlstate

struct JwtClaims {
  std::optional<std::string> sub;
  std::optional<std::string> role;
};

// Containers nested deeper than this are refused: the reader recurses, and
// the stack it recurses on is a PostgreSQL backend's.
inline constexpr int max_claims_depth = 64;

// Throws gs::Error 28000 when `json` is not one JSON object, when "sub" or
// "role" is not a string or appears twice, or when a string holds \u0000.
JwtClaims parse_jwt_claims(std::string_view json);

}  // namespace gs
