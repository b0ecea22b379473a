// libFuzzer target: the envelope's value writers (core/json_text.hpp). Any
// bytes as a string: the output stays within json_string_max_size, and a
// JSON string decoder written here (RFC 8259, independent of the writer)
// reads back exactly the input, with no unescaped byte below 0x20, quote or
// backslash. The first 8 bytes as a timestamp: the text stays within
// json_timestamp_max_size and reads back, through a day count independent
// of the writer's date arithmetic, to the same microsecond.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "core/json_text.hpp"

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // the writer uses lowercase only
}

// The decoded string, or abort.
std::string decode_string(std::string_view json) {
  if (json.size() < 2 || json.front() != '"' || json.back() != '"') std::abort();
  std::string out;
  for (std::size_t i = 1; i + 1 < json.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(json[i]);
    if (c < 0x20 || c == '"') std::abort();
    if (c != '\\') {
      out += static_cast<char>(c);
      continue;
    }
    if (++i + 1 >= json.size()) std::abort();
    switch (json[i]) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'u': {
        if (i + 5 >= json.size() || json.compare(i + 1, 2, "00") != 0) std::abort();
        const int hi = hex_value(json[i + 3]), lo = hex_value(json[i + 4]);
        if (hi < 0 || lo < 0 || hi * 16 + lo >= 0x20) std::abort();
        out += static_cast<char>(hi * 16 + lo);
        i += 4;
        break;
      }
      default: std::abort();
    }
  }
  return out;
}

// Days from 1970-01-01 of a proleptic Gregorian date, by counting leap
// years (not the writer's era arithmetic).
std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  static constexpr int before_month[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  auto leaps_before = [](std::int64_t y) {  // leap years in [0, y)
    auto floor_div = [](std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); };
    const std::int64_t p = y - 1;
    return floor_div(p, 4) - floor_div(p, 100) + floor_div(p, 400) + 1;
  };
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const std::int64_t days_to_year =
      365 * year + leaps_before(year) - (365 * 1970 + leaps_before(1970));
  return days_to_year + before_month[month - 1] + (leap && month > 2 ? 1 : 0) + day - 1;
}

std::int64_t number(std::string_view text, std::size_t &at, std::size_t digits) {
  std::int64_t value = 0;
  for (std::size_t n = 0; n < digits; ++n, ++at) {
    if (at >= text.size() || text[at] < '0' || text[at] > '9') std::abort();
    value = value * 10 + (text[at] - '0');
  }
  return value;
}

void expect(std::string_view text, std::size_t &at, char c) {
  if (at >= text.size() || text[at++] != c) std::abort();
}

std::int64_t read_timestamp(std::string_view json) {
  if (json == "\"-infinity\"") return INT64_MIN;
  if (json == "\"infinity\"") return INT64_MAX;
  std::size_t at = 0;
  expect(json, at, '"');
  std::size_t year_digits = 0;
  while (at + year_digits < json.size() && json[at + year_digits] != '-') ++year_digits;
  if (year_digits < 4 || (year_digits > 4 && json[at] == '0')) std::abort();
  std::int64_t year = number(json, at, year_digits);
  expect(json, at, '-');
  const int month = static_cast<int>(number(json, at, 2));
  expect(json, at, '-');
  const int day = static_cast<int>(number(json, at, 2));
  expect(json, at, 'T');
  const std::int64_t hour = number(json, at, 2);
  expect(json, at, ':');
  const std::int64_t minute = number(json, at, 2);
  expect(json, at, ':');
  const std::int64_t second = number(json, at, 2);
  std::int64_t micros = 0;
  if (json[at] == '.') {
    ++at;
    std::size_t digits = 0;
    while (at + digits < json.size() && json[at + digits] >= '0' && json[at + digits] <= '9')
      ++digits;
    if (digits == 0 || digits > 6 || json[at + digits - 1] == '0') std::abort();
    micros = number(json, at, digits);
    for (std::size_t n = digits; n < 6; ++n) micros *= 10;
  }
  if (json.substr(at) == " BC\"") {
    if (year == 0) std::abort();
    year = 1 - year;
  } else if (json.substr(at) != "\"" || year == 0) {
    std::abort();
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    std::abort();
  const std::int64_t days = days_from_civil(year, month, day) - 10957;
  return ((days * 24 + hour) * 60 + minute) * 60000000 + second * 1000000 + micros;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char *>(data), size);
  std::string out(gs::json_string_max_size(size), '\0');
  const char *end = gs::write_json_string(out.data(), input);
  if (end > out.data() + out.size()) std::abort();
  if (decode_string(std::string_view(out.data(), end - out.data())) != input) std::abort();

  if (size >= 8) {
    std::int64_t micros;
    std::memcpy(&micros, data, 8);
    // PostgreSQL's timestamps end at 294276-12-31 23:59:59.999999 and begin
    // at 4714-11-24 BC; keep the fuzzed value in that range.
    constexpr std::int64_t lowest = -211813488000000000, highest = 9223371331199999999;
    if (micros != INT64_MIN && micros != INT64_MAX) {
      const std::uint64_t range =
          static_cast<std::uint64_t>(highest) - static_cast<std::uint64_t>(lowest) + 1;
      micros = static_cast<std::int64_t>(static_cast<std::uint64_t>(lowest) +
                                         static_cast<std::uint64_t>(micros) % range);
    }
    char buf[gs::json_timestamp_max_size];
    const char *t_end = gs::write_json_timestamp(buf, micros);
    if (t_end > buf + sizeof buf) std::abort();
    if (read_timestamp(std::string_view(buf, t_end - buf)) != micros) std::abort();
  }
  return 0;
}
