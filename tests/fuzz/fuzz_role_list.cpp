// libFuzzer target: the genre_sync.trusted_roles list reader. Any input is a
// list of non-empty names of at most 63 bytes, or gs::Error 22023.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "core/role_list.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  try {
    for (const auto &name : gs::parse_role_list(text))
      if (name.empty() || name.size() > gs::max_role_name_bytes) std::abort();
  } catch (const gs::Error &e) {
    if (e.sqlstate() != "22023") std::abort();
  }
  return 0;
}
