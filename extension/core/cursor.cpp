#include "core/cursor.hpp"

#include <charconv>

#include "core/error.hpp"

namespace gs {

namespace {

constexpr std::string_view prefix = "v1:";
constexpr std::string_view state_prefix = "v2/";

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

// Bytes outside [A-Za-z0-9._~-] as %XX (upper-case hex): a genre may hold
// any text, a cursor travels in URLs and JSON.
bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '~' || c == '-';
}

void append_genres(std::string &text, const std::vector<std::string> &genres) {
  constexpr char upper_hex[] = "0123456789ABCDEF";
  for (const std::string &genre : genres) {
    for (unsigned char c : genre) {
      if (unreserved(c)) {
        text += static_cast<char>(c);
      } else {
        text += '%';
        text += upper_hex[c >> 4];
        text += upper_hex[c & 0xf];
      }
    }
    text += ',';
  }
}

int upper_hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Each genre ends with a comma; they must be distinct and in "C" (byte) order.
std::optional<std::vector<std::string>> parse_genres(std::string_view text) {
  std::vector<std::string> genres;
  std::string genre;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ',') {
      if (!genres.empty() && !(genres.back() < genre)) return std::nullopt;
      genres.push_back(std::move(genre));
      genre.clear();
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = upper_hex_value(text[i + 1]), low = upper_hex_value(text[i + 2]);
      if (high < 0 || low < 0 || unreserved(static_cast<unsigned char>(high << 4 | low)))
        return std::nullopt;
      genre += static_cast<char>(high << 4 | low);
      i += 2;
    } else if (unreserved(static_cast<unsigned char>(c))) {
      genre += c;
    } else {
      return std::nullopt;
    }
  }
  if (!genre.empty()) return std::nullopt;  // no closing comma
  return genres;
}

void append_position(std::string &text, const std::optional<Cursor> &position) {
  if (position)
    text += format_cursor(*position).substr(prefix.size());
  else
    text += '-';
}

std::optional<std::optional<Cursor>> parse_position(std::string_view text) {
  if (text == "-") return std::optional<Cursor>();
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto micros = parse_micros(text.substr(0, colon));
  auto id = parse_uuid(text.substr(colon + 1));
  if (!micros || !id) return std::nullopt;
  return std::optional<Cursor>(Cursor{*micros, *id});
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

[[noreturn]] void throw_invalid_cursor(std::string_view text, const char *arg) {
  // Shown as printable ASCII only: a cut multibyte character must not make
  // the message itself invalid in the client's encoding.
  constexpr std::size_t shown = 80;
  std::string quoted;
  for (char c : text.substr(0, shown)) quoted += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > shown) quoted += "...";
  throw Error(sqlstate::invalid_text_representation,
              std::string("invalid cursor in ") + arg + ": \"" + quoted + "\"",
              "A cursor is the exact text sync_pull returned in next_cursor (v2/...), or a "
              "position v1:<microseconds since 1970-01-01>:<lower-case uuid>.");
}

}  // namespace

std::int64_t cursor_unix_micros(std::int64_t pg_timestamp, std::string_view what) {
  if (pg_timestamp > INT64_MAX - postgres_epoch_unix_micros)
    throw Error("22008", std::string(what) + " is beyond the range of cursors",
                "Cursors count microseconds from 1970 in 64 bits; +infinity and years past "
                "294246 do not fit.");
  return pg_timestamp + postgres_epoch_unix_micros;
}

std::string format_cursor(const Cursor &cursor) {
  std::string text(prefix);
  text += std::to_string(cursor.unix_micros);
  text += ':';
  text += format_uuid(cursor.id);
  return text;
}

std::optional<Cursor> try_parse_cursor(std::string_view text) {
  if (text.substr(0, prefix.size()) != prefix) return std::nullopt;
  auto position = parse_position(text.substr(prefix.size()));
  if (!position || !*position) return std::nullopt;
  return *position;
}

Cursor parse_cursor(std::string_view text, const char *arg) {
  if (auto cursor = try_parse_cursor(text)) return *cursor;
  throw_invalid_cursor(text, arg);
}

std::string format_sync_state(const SyncState &state) {
  std::string text(state_prefix);
  append_position(text, state.position);
  text += '/' + std::to_string(state.moves_seen) + '/' + (state.first_sync ? "f" : "-") + '/';
  append_genres(text, state.genres);
  if (const auto &change = state.change) {
    text += change->everything ? "/a/" : "/g/";
    append_genres(text, change->genres);
    text += '/' + std::to_string(change->moves_from) + '/' + std::to_string(change->moves_to) + '/';
    append_position(text, change->progress);
  }
  return text;
}

std::optional<SyncState> try_parse_sync_state(std::string_view text) {
  if (text.substr(0, state_prefix.size()) != state_prefix) return std::nullopt;
  const auto fields = split(text.substr(state_prefix.size()), '/');
  if (fields.size() != 4 && fields.size() != 9) return std::nullopt;
  SyncState state;
  auto position = parse_position(fields[0]);
  auto moves_seen = parse_micros(fields[1]);
  auto genres = parse_genres(fields[3]);
  if (!position || !moves_seen || !genres || (fields[2] != "f" && fields[2] != "-"))
    return std::nullopt;
  state.position = *position;
  state.moves_seen = *moves_seen;
  state.first_sync = fields[2] == "f";
  state.genres = std::move(*genres);
  if (fields.size() == 9) {
    FilterChange change;
    auto change_genres = parse_genres(fields[5]);
    auto from = parse_micros(fields[6]);
    auto to = parse_micros(fields[7]);
    auto progress = parse_position(fields[8]);
    if ((fields[4] != "a" && fields[4] != "g") || !change_genres || !from || !to || !progress)
      return std::nullopt;
    change.everything = fields[4] == "a";
    change.genres = std::move(*change_genres);
    change.moves_from = *from;
    change.moves_to = *to;
    change.progress = *progress;
    state.change = std::move(change);
  }
  return state;
}

PullCursor parse_pull_cursor(std::string_view text, const char *arg) {
  PullCursor cursor;
  if ((cursor.v1 = try_parse_cursor(text))) return cursor;
  if ((cursor.v2 = try_parse_sync_state(text))) return cursor;
  throw_invalid_cursor(text, arg);
}

}  // namespace gs
