#pragma once

#include <cstdint>
#include <string>

namespace gs::datagen {

// A `timestamp without time zone` as microseconds since 1970-01-01 00:00:00.
using Micros = std::int64_t;

inline constexpr Micros micros_per_second = 1'000'000;
inline constexpr Micros micros_per_day = 86'400 * micros_per_second;

// docs/dataset.md: last_modified_at spreads over two years.
inline constexpr Micros history_start = 19'723 * micros_per_day;  // 2024-01-01
inline constexpr Micros history_end = 20'454 * micros_per_day;    // 2026-01-01

// Appends "YYYY-MM-DD HH:MM:SS.ffffff" (always six fraction digits).
void append_timestamp(std::string &out, Micros value);
std::string format_timestamp(Micros value);

}  // namespace gs::datagen
