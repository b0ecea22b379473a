// libFuzzer target: the sync_pull cursor parsers. Any input is a v1 cursor or
// nullopt; parse_cursor throws gs::Error 22P02 exactly when try_parse_cursor
// says nullopt; a parsed cursor formats back to text that parses to itself.
// Likewise v2 states, which format back to the very input (only canonical
// text parses), and parse_pull_cursor, which takes exactly either.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/cursor.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  const auto cursor = gs::try_parse_cursor(text);
  try {
    if (gs::parse_cursor(text, "p_cursor") != cursor) std::abort();
  } catch (const gs::Error &e) {
    if (cursor || e.sqlstate() != "22P02") std::abort();
  }
  if (cursor) {
    const auto again = gs::try_parse_cursor(gs::format_cursor(*cursor));
    if (!again || *again != *cursor) std::abort();
  }
  const auto state = gs::try_parse_sync_state(text);
  if (state && gs::format_sync_state(*state) != text) std::abort();
  try {
    const gs::PullCursor pull = gs::parse_pull_cursor(text, "p_cursor");
    if (pull.v1 != cursor || pull.v2 != state) std::abort();
  } catch (const gs::Error &e) {
    if (cursor || state || e.sqlstate() != "22P02") std::abort();
  }
  return 0;
}
