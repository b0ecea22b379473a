#include "backend/caller_identity.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "backend/fence.hpp"
#include "core/identity_check.hpp"
#include "core/role_list.hpp"

namespace gs::backend {

namespace {

bool enforce_caller_identity = true;
char *trusted_roles = nullptr;

// A GUC check hook is called from C: no exception may leave it.
bool check_trusted_roles(char **newval, void **, GucSource) {
  char why[512] = "";
  try {
    parse_role_list(*newval != nullptr ? *newval : "");
  } catch (const std::exception &e) {
    std::strncpy(why, e.what(), sizeof why - 1);
  } catch (...) {
    std::strncpy(why, "unknown C++ exception", sizeof why - 1);
  }
  if (why[0] == '\0') return true;
  GUC_check_errdetail("%s", why);
  return false;
}

// The setting's names, parsed again only when its value changes (a SET in
// the session, a reload).
struct ParsedRoles {
  bool parsed = false;
  std::string text;
  std::vector<std::string> names;
};
ParsedRoles roles;

bool role_is_trusted(std::string_view role) {
  const std::string_view text = trusted_roles != nullptr ? trusted_roles : "";
  if (!roles.parsed || roles.text != text) {
    roles.names = parse_role_list(text);
    roles.text.assign(text);
    roles.parsed = true;
  }
  return std::find(roles.names.begin(), roles.names.end(), role) != roles.names.end();
}

// The claims of the last request.jwt.claims seen: a gateway sets the same
// value for every call of a request, and a worker's requests repeat it.
// Only a value that parsed is kept; a malformed one fails every time.
struct ParsedClaims {
  bool parsed = false;
  std::string text;
  JwtClaims claims;
};
ParsedClaims last_claims;

const JwtClaims &claims_of(const RequestIdentity &request, JwtClaims &legacy) {
  if (request.claims.empty()) return legacy = request_claims(request);
  if (!last_claims.parsed || last_claims.text != request.claims) {
    last_claims.parsed = false;
    last_claims.claims = request_claims(request);
    last_claims.text.assign(request.claims);
    last_claims.parsed = true;
  }
  return last_claims.claims;
}

std::string_view or_empty(const char *text) { return text != nullptr ? text : ""; }

RequestIdentity read_request() {
  const char *claims = nullptr, *legacy_sub = nullptr, *legacy_role = nullptr;
  guarded([&] {
    claims = GetConfigOption("request.jwt.claims", true, false);
    legacy_sub = GetConfigOption("request.jwt.claim.sub", true, false);
    legacy_role = GetConfigOption("request.jwt.claim.role", true, false);
  });
  return {or_empty(claims), or_empty(legacy_sub), or_empty(legacy_role)};
}

// uuid is a fixed-length by-reference type: the Datum points at its 16 bytes.
UuidBytes uuid_bytes(Datum user_id) {
  UuidBytes id;
  std::memcpy(id.data(), DatumGetPointer(user_id), id.size());
  return id;
}

}  // namespace

void register_identity_settings() {
  DefineCustomBoolVariable(
      "genre_sync.enforce_caller_identity",
      "Makes the sync functions serve only the request's authenticated user.",
      "When request.jwt.claims (or request.jwt.claim.sub) is set, p_user_id must be its "
      "\"sub\" unless the current role is trusted.",
      &enforce_caller_identity, true, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomStringVariable(
      "genre_sync.trusted_roles", "Roles that may call the sync functions for any user.",
      "Comma-separated role names, matched against current_user; superusers are always "
      "trusted.",
      &trusted_roles, "service_role", PGC_SUSET, GUC_LIST_INPUT, check_trusted_roles, nullptr,
      nullptr);
}

void require_caller_may_act_for(Datum user_id) {
  if (!enforce_caller_identity) return;
  const RequestIdentity request = read_request();
  if (!carries_identity(request)) return;

  const char *role = nullptr;
  bool is_superuser = false;
  guarded([&] {
    const Oid role_id = GetUserId();
    role = GetUserNameFromId(role_id, false);
    is_superuser = superuser_arg(role_id);
  });
  if (is_superuser || role_is_trusted(role)) return;
  JwtClaims legacy;
  require_claims_user(claims_of(request, legacy), uuid_bytes(user_id), role);
}

bool request_is_user(Datum user_id) {
  const RequestIdentity request = read_request();
  if (!carries_identity(request)) return false;
  try {
    JwtClaims legacy;
    require_claims_user(claims_of(request, legacy), uuid_bytes(user_id), "");
    return true;
  } catch (const Error &) {
    return false;
  }
}

}  // namespace gs::backend
