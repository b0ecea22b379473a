// libFuzzer target: uuid text as the caller check reads a JWT's "sub". A
// parsed uuid's canonical text parses to the same bytes, with and without
// hyphens and braces.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/uuid_text.hpp"

namespace {

std::string hex(const gs::UuidBytes &bytes, bool hyphens) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (hyphens && (i == 4 || i == 6 || i == 8 || i == 10)) out += '-';
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0xF];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const auto bytes = gs::parse_uuid(std::string_view(reinterpret_cast<const char *>(data), size));
  if (!bytes) return 0;
  for (const std::string &text :
       {hex(*bytes, true), hex(*bytes, false), "{" + hex(*bytes, true) + "}"}) {
    const auto again = gs::parse_uuid(text);
    if (!again || *again != *bytes) std::abort();
  }
  return 0;
}
