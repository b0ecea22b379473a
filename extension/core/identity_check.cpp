#include "core/identity_check.hpp"

#include <string>

#include "core/error.hpp"

namespace gs {

namespace {

const char *const trusted_hint =
    "Pass the authenticated user's own id, or call as a role listed in "
    "genre_sync.trusted_roles.";

}  // namespace

bool carries_identity(const RequestIdentity &request) {
  return !request.claims.empty() || !request.legacy_sub.empty() || !request.legacy_role.empty();
}

JwtClaims request_claims(const RequestIdentity &request) {
  if (!request.claims.empty()) return parse_jwt_claims(request.claims);
  JwtClaims claims;
  if (!request.legacy_sub.empty()) claims.sub = std::string(request.legacy_sub);
  if (!request.legacy_role.empty()) claims.role = std::string(request.legacy_role);
  return claims;
}

void require_request_user(const RequestIdentity &request, const UuidBytes &user_id,
                          std::string_view current_role) {
  require_claims_user(request_claims(request), user_id, current_role);
}

void require_claims_user(const JwtClaims &claims, const UuidBytes &user_id,
                         std::string_view current_role) {
  const std::string role_text = "role \"" + std::string(current_role) + "\"";
  if (!claims.sub)
    throw Error(sqlstate::insufficient_privilege, "p_user_id requires an authenticated user",
                "The request carries no \"sub\" claim" +
                    (claims.role ? " (claims role \"" + *claims.role + "\")" : std::string()) +
                    " and " + role_text + " is not trusted.",
                trusted_hint);
  if (parse_uuid(*claims.sub, UuidSyntax::postgres_input) != user_id)
    throw Error(sqlstate::insufficient_privilege, "p_user_id does not match the authenticated user",
                "p_user_id is " + format_uuid(user_id) + ", the request's \"sub\" claim is \"" +
                    *claims.sub + "\", and " + role_text + " is not trusted.",
                trusted_hint);
}

}  // namespace gs
