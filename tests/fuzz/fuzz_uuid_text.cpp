// libFuzzer target: uuid text as the caller check reads a JWT's "sub"
// (PostgreSQL's input syntax) and as cursors carry it (canonical). A parsed
// uuid's canonical text parses to the same bytes under both syntaxes, with
// and without hyphens and braces; the canonical syntax accepts exactly the
// inputs that equal their own canonical text.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/uuid_text.hpp"

namespace {

std::string without_hyphens(std::string text) {
  std::erase(text, '-');
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char *>(data), size);
  const auto bytes = gs::parse_uuid(input, gs::UuidSyntax::postgres_input);
  const auto canonical = gs::parse_uuid(input);
  if (canonical != (bytes && gs::format_uuid(*bytes) == input ? bytes : std::nullopt)) std::abort();
  if (!bytes) return 0;
  const std::string text = gs::format_uuid(*bytes);
  if (gs::parse_uuid(text) != bytes) std::abort();
  for (const std::string &form : {text, without_hyphens(text), "{" + text + "}"})
    if (gs::parse_uuid(form, gs::UuidSyntax::postgres_input) != bytes) std::abort();
  return 0;
}
