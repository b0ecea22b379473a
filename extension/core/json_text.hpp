// JSON text of column values, written exactly as PostgreSQL's to_jsonb(row)
// prints them (jsonb's text output), without a backend: sync_pull writes
// its envelope's rows with these instead of building a jsonb per row.
//
// Each writer writes at `out`, which has room for at least the size named
// beside it, and returns the end of what it wrote. Nothing allocates or
// throws, so the backend calls them inside its fence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gs {

// A string, quoted and escaped as PostgreSQL's escape_json does: \b \f \n
// \r \t \" \\ by name, other bytes below 0x20 as \u00XX (lowercase hex),
// every other byte (UTF-8 included) as it is. PostgreSQL's text never holds
// a NUL byte; one here is written as \u0000.
constexpr std::size_t json_string_max_size(std::size_t bytes) { return 6 * bytes + 2; }
char *write_json_string(char *out, std::string_view text) noexcept;

// A uuid's 16 bytes as its quoted canonical text (lowercase, hyphenated).
inline constexpr std::size_t json_uuid_size = 38;
char *write_json_uuid(char *out, const unsigned char *bytes) noexcept;

inline constexpr std::size_t json_int_max_size = 20;
char *write_json_int(char *out, std::int64_t value) noexcept;

inline constexpr std::size_t json_bool_max_size = 5;
char *write_json_bool(char *out, bool value) noexcept;

// A `timestamp` (microseconds since 2000-01-01 00:00, PostgreSQL's
// representation; INT64_MIN and INT64_MAX are -infinity and infinity) as
// to_jsonb writes it: quoted, ISO 8601 with a 'T', the fraction to the
// microsecond with trailing zeros dropped, years of five digits and more as
// they are, " BC" after years before 1.
inline constexpr std::size_t json_timestamp_max_size = 40;
char *write_json_timestamp(char *out, std::int64_t postgres_micros) noexcept;

// An object's keys in the order jsonb keeps them: shorter first, then by
// bytes. Written in this order, an object's text is jsonb's.
bool jsonb_key_before(std::string_view a, std::string_view b) noexcept;

}  // namespace gs
