#include "core/cursor.hpp"

#include <charconv>

#include "core/error.hpp"

namespace gs {

namespace {

constexpr std::string_view prefix = "v1:";
constexpr char hex_digits[] = "0123456789abcdef";
// Positions of the dashes in the 36-character canonical uuid.
constexpr bool is_dash_position(std::size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is not canonical
}

std::optional<std::array<std::uint8_t, 16>> parse_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::array<std::uint8_t, 16> id{};
  std::size_t byte = 0;
  for (std::size_t i = 0; i < 36;) {
    if (is_dash_position(i)) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    int high = hex_value(text[i]);
    int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    id[byte++] = static_cast<std::uint8_t>(high << 4 | low);
    i += 2;
  }
  return id;
}

// Digits with an optional minus, no leading zeros, no plus, no spaces.
std::optional<std::int64_t> parse_micros(std::string_view text) {
  std::string_view digits = text.substr(!text.empty() && text[0] == '-' ? 1 : 0);
  if (digits.empty() || (digits[0] == '0' && (digits.size() > 1 || text[0] == '-')))
    return std::nullopt;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < min_unix_micros) return std::nullopt;
  return value;
}

}  // namespace

std::string format_cursor(const Cursor &cursor) {
  std::string text(prefix);
  text += std::to_string(cursor.unix_micros);
  text += ':';
  for (std::size_t i = 0; i < cursor.id.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += hex_digits[cursor.id[i] >> 4];
    text += hex_digits[cursor.id[i] & 0xf];
  }
  return text;
}

std::optional<Cursor> try_parse_cursor(std::string_view text) {
  if (text.substr(0, prefix.size()) != prefix) return std::nullopt;
  text.remove_prefix(prefix.size());
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto micros = parse_micros(text.substr(0, colon));
  auto id = parse_uuid(text.substr(colon + 1));
  if (!micros || !id) return std::nullopt;
  return Cursor{*micros, *id};
}

Cursor parse_cursor(std::string_view text, const char *arg) {
  if (auto cursor = try_parse_cursor(text)) return *cursor;
  // Shown as printable ASCII only: a cut multibyte character must not make
  // the message itself invalid in the client's encoding.
  constexpr std::size_t shown = 80;
  std::string quoted;
  for (char c : text.substr(0, shown)) quoted += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > shown) quoted += "...";
  throw Error(sqlstate::invalid_text_representation,
              std::string("invalid cursor in ") + arg + ": \"" + quoted + "\"",
              "A cursor is v1:<microseconds since 1970-01-01>:<lower-case uuid>, as returned in "
              "next_cursor.");
}

}  // namespace gs
