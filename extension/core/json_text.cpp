#include "core/json_text.hpp"

#include <cstring>

namespace gs {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

// Bytes escape_json writes as they are, looked up (the writer's inner loop).
struct PlainBytes {
  bool byte[256];
  constexpr PlainBytes() : byte() {
    for (int c = 0; c < 256; ++c) byte[c] = c >= 0x20 && c != '"' && c != '\\';
  }
};
constexpr PlainBytes plain_bytes;
constexpr bool plain(unsigned char c) { return plain_bytes.byte[c]; }

char *write_unsigned(char *out, std::uint64_t value) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) *out++ = digits[--n];
  return out;
}

// value in [0, 99] as two digits.
char *write_two(char *out, int value) {
  *out++ = static_cast<char>('0' + value / 10);
  *out++ = static_cast<char>('0' + value % 10);
  return out;
}

// The proleptic Gregorian date of a day counted from 1970-01-01 (year 0 is
// 1 BC), as PostgreSQL's j2date gives it.
struct Date {
  std::int64_t year;
  int month, day;
};

Date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

char *write_literal(char *out, const char *text) {
  const std::size_t n = std::strlen(text);
  std::memcpy(out, text, n);
  return out + n;
}

}  // namespace

char *write_json_string(char *out, std::string_view text) noexcept {
  *out++ = '"';
  const char *p = text.data();
  const char *const end = p + text.size();
  while (p < end) {
    const char *run = p;
    while (p < end && plain(static_cast<unsigned char>(*p))) ++p;
    std::memcpy(out, run, static_cast<std::size_t>(p - run));
    out += p - run;
    if (p == end) break;
    const unsigned char c = static_cast<unsigned char>(*p++);
    *out++ = '\\';
    switch (c) {
      case '\b': *out++ = 'b'; break;
      case '\f': *out++ = 'f'; break;
      case '\n': *out++ = 'n'; break;
      case '\r': *out++ = 'r'; break;
      case '\t': *out++ = 't'; break;
      case '"': *out++ = '"'; break;
      case '\\': *out++ = '\\'; break;
      default:
        out = write_literal(out, "u00");
        *out++ = hex_digits[c >> 4];
        *out++ = hex_digits[c & 0xF];
    }
  }
  *out++ = '"';
  return out;
}

char *write_json_uuid(char *out, const unsigned char *bytes) noexcept {
  *out++ = '"';
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *out++ = '-';
    *out++ = hex_digits[bytes[i] >> 4];
    *out++ = hex_digits[bytes[i] & 0xF];
  }
  *out++ = '"';
  return out;
}

char *write_json_int(char *out, std::int64_t value) noexcept {
  if (value < 0) {
    *out++ = '-';
    return write_unsigned(out, 0 - static_cast<std::uint64_t>(value));
  }
  return write_unsigned(out, static_cast<std::uint64_t>(value));
}

char *write_json_bool(char *out, bool value) noexcept {
  return write_literal(out, value ? "true" : "false");
}

char *write_json_timestamp(char *out, std::int64_t postgres_micros) noexcept {
  if (postgres_micros == INT64_MIN) return write_literal(out, "\"-infinity\"");
  if (postgres_micros == INT64_MAX) return write_literal(out, "\"infinity\"");
  constexpr std::int64_t micros_per_day = 86400LL * 1000000;
  constexpr std::int64_t days_1970_to_2000 = 10957;
  std::int64_t days = postgres_micros / micros_per_day;
  std::int64_t micros = postgres_micros % micros_per_day;
  if (micros < 0) {
    micros += micros_per_day;
    days -= 1;
  }
  const Date date = civil_from_days(days + days_1970_to_2000);
  *out++ = '"';
  const std::uint64_t year = date.year > 0 ? static_cast<std::uint64_t>(date.year)
                                           : static_cast<std::uint64_t>(1 - date.year);
  for (std::uint64_t pad = 1000; pad > 1 && year < pad; pad /= 10) *out++ = '0';
  out = write_unsigned(out, year);
  *out++ = '-';
  out = write_two(out, date.month);
  *out++ = '-';
  out = write_two(out, date.day);
  *out++ = 'T';
  const std::int64_t seconds = micros / 1000000;
  int fraction = static_cast<int>(micros % 1000000);
  out = write_two(out, static_cast<int>(seconds / 3600));
  *out++ = ':';
  out = write_two(out, static_cast<int>(seconds / 60 % 60));
  *out++ = ':';
  out = write_two(out, static_cast<int>(seconds % 60));
  if (fraction != 0) {
    *out++ = '.';
    int digits = 6;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --digits;
    }
    for (int i = digits - 1; i >= 0; --i) {
      out[i] = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    out += digits;
  }
  if (date.year <= 0) out = write_literal(out, " BC");
  *out++ = '"';
  return out;
}

bool jsonb_key_before(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return a.size() < b.size();
  return a.compare(b) < 0;
}

}  // namespace gs
