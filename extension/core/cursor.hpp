// The opaque, versioned text cursor of sync_pull and sync_range_checksum:
//
//   v1:<microseconds since 1970-01-01 00:00:00 of last_modified_at>:<id>
//
// last_modified_at is a `timestamp without time zone`; the number is that
// wall-clock value's distance from the epoch, so no TimeZone ever touches
// it, and microseconds keep it exact. The id is the canonical lower-case
// uuid. A cursor names a row position: "after" cursors are exclusive,
// "until" cursors inclusive.
#pragma once

#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gs {

struct Cursor {
  std::int64_t unix_micros = 0;
  std::array<std::uint8_t, 16> id{};

  friend bool operator==(const Cursor &, const Cursor &) = default;
};

// PostgreSQL's timestamps count from 2000-01-01; cursors from 1970-01-01.
inline constexpr std::int64_t postgres_epoch_unix_micros = 946684800LL * 1000000;
// The smallest cursor is -infinity's (PostgreSQL's INT64_MIN) in cursor
// units. The largest is INT64_MAX (year 294247): the last 30 years of
// PostgreSQL's range, and +infinity, do not fit in a signed 64-bit count
// from 1970.
inline constexpr std::int64_t min_unix_micros = INT64_MIN + postgres_epoch_unix_micros;

std::string format_cursor(const Cursor &cursor);

// nullopt for anything but a well-formed v1 cursor within the timestamp range.
std::optional<Cursor> try_parse_cursor(std::string_view text);

// As try_parse_cursor, but throws gs::Error 22P02 naming the argument.
Cursor parse_cursor(std::string_view text, const char *arg);

}  // namespace gs
