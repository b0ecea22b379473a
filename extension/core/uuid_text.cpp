#include "core/uuid_text.hpp"

namespace gs {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<UuidBytes> parse_uuid(std::string_view text) {
  std::size_t pos = 0;
  const bool braces = !text.empty() && text[0] == '{';
  if (braces) ++pos;
  UuidBytes bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (pos + 2 > text.size()) return std::nullopt;
    const int high = hex_value(text[pos]), low = hex_value(text[pos + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes[i] = static_cast<unsigned char>(high << 4 | low);
    pos += 2;
    if (pos < text.size() && text[pos] == '-' && i % 2 == 1 && i < bytes.size() - 1) ++pos;
  }
  if (braces) {
    if (pos >= text.size() || text[pos] != '}') return std::nullopt;
    ++pos;
  }
  if (pos != text.size()) return std::nullopt;
  return bytes;
}

}  // namespace gs
