// libFuzzer target: the request.jwt.claims reader and the caller check on
// top of it. Any input must parse or throw gs::Error 28000; nothing else may
// escape, and the check may only pass, or refuse with 42501 or 28000.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "core/identity_check.hpp"
#include "core/jwt_claims.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  try {
    gs::parse_jwt_claims(text);
  } catch (const gs::Error &e) {
    if (e.sqlstate() != "28000") std::abort();
  }
  const gs::UuidBytes user{};
  try {
    gs::require_request_user({text, "", ""}, user, "authenticated");
  } catch (const gs::Error &e) {
    if (e.sqlstate() != "28000" && e.sqlstate() != "42501") std::abort();
  }
  return 0;
}
