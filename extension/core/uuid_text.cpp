#include "core/uuid_text.hpp"

namespace gs {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The canonical text of the bytes, without allocating.
std::array<char, 36> canonical_text(const UuidBytes &bytes) {
  std::array<char, 36> text{};
  std::size_t pos = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[pos++] = '-';
    text[pos++] = hex_digits[bytes[i] >> 4];
    text[pos++] = hex_digits[bytes[i] & 0xf];
  }
  return text;
}

// As PostgreSQL's uuid input (string_to_uuid in utils/adt/uuid.c).
std::optional<UuidBytes> parse_postgres_input(std::string_view text) {
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

}  // namespace

std::optional<UuidBytes> parse_uuid(std::string_view text, UuidSyntax syntax) {
  const auto bytes = parse_postgres_input(text);
  // The canonical text is the one input form that formats back to itself.
  if (bytes && syntax == UuidSyntax::canonical &&
      std::string_view(canonical_text(*bytes).data(), 36) != text)
    return std::nullopt;
  return bytes;
}

std::string format_uuid(const UuidBytes &bytes) {
  const std::array<char, 36> text = canonical_text(bytes);
  return std::string(text.data(), text.size());
}

}  // namespace gs
