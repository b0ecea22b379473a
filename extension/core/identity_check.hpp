// Caller identity: whether a request's authenticated user may read the sync
// of p_user_id. Pure C++ so every rule is unit-tested; the backend supplies
// the settings and decides whether the role is trusted
// (backend/caller_identity.hpp).
#pragma once

#include <string_view>

#include "core/jwt_claims.hpp"
#include "core/uuid_text.hpp"

namespace gs {

namespace sqlstate {
inline constexpr const char *insufficient_privilege = "42501";
}  // namespace sqlstate

// What the request carries, as PostgREST sets it: request.jwt.claims (the
// JSON claims, PostgREST 9+) and request.jwt.claim.sub / .role (one setting
// per claim, before 9). Unset settings are empty; PostgreSQL leaves a
// transaction-local setting empty, not unset, once the transaction ends.
struct RequestIdentity {
  std::string_view claims;
  std::string_view legacy_sub;
  std::string_view legacy_role;
};

// True when any of the settings is non-empty: the call came through a
// gateway that authenticates requests.
bool carries_identity(const RequestIdentity &request);

// For a request that carries an identity and a role that is not trusted:
// throws gs::Error 42501 unless its "sub" is user_id (compared as uuids),
// and 28000 when request.jwt.claims is malformed. A request with claims but
// no "sub" (PostgREST's anonymous role) may act for nobody. current_role
// only names the role in the error.
void require_request_user(const RequestIdentity &request, const UuidBytes &user_id,
                          std::string_view current_role);
// The same in two steps, so a caller may keep the parsed claims: the
// request's claims (parsed from request.jwt.claims, or the legacy
// settings), and the check of them.
JwtClaims request_claims(const RequestIdentity &request);
void require_claims_user(const JwtClaims &claims, const UuidBytes &user_id,
                         std::string_view current_role);

}  // namespace gs
