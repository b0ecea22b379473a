#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace gs::datagen {

struct GenreInfo {
  std::string_view id;
  std::string_view name;
  std::string_view region;
  // Share of public tunes in permille (docs/dataset.md: Zipf-like, the largest
  // ~40%, the next ~12%, the two smallest ~1% each).
  std::uint32_t weight;
};

inline constexpr std::size_t genre_count = 25;
extern const std::array<GenreInfo, genre_count> genre_catalog;

// The named two-genre user selects these: mid-size genres (ranks 5 and 6)
// so its first sync is near the seed plan's "~500 records" (435 rows at
// scale 1 with seed 1).
inline constexpr std::array<std::uint8_t, 2> two_genre_user_genres = {4, 5};

// Splits `total` into one count per weight: each gets `minimum` first, the
// rest goes proportionally to the weights by largest remainder (ties to the
// lower index), so the result is exact and sums to `total`. Requires
// total >= minimum * weights.size().
std::vector<std::uint64_t> allocate_by_weight(std::uint64_t total,
                                              const std::vector<std::uint32_t> &weights,
                                              std::uint64_t minimum);

std::vector<std::uint32_t> genre_weights();

}  // namespace gs::datagen
