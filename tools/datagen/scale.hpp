#pragma once

#include <cstdint>
#include <string_view>

namespace gs::datagen {

// The row counts that grow linearly with the scale factor (docs/dataset.md,
// scale 1 = the seed app's size). Per-user tables (playlists, selections)
// follow from the user count.
struct ScaleCounts {
  std::uint64_t users;
  std::uint64_t tunes;
  std::uint64_t notes;
  std::uint64_t references;
};

// The smallest scale that still has room for both named users.
inline constexpr double min_scale = 0.1;
// Beyond this the plan would not fit in memory on a typical machine.
inline constexpr double max_scale = 10'000;

// Each count is round(base * scale). Throws std::invalid_argument outside
// [min_scale, max_scale].
ScaleCounts counts_for_scale(double scale);

}  // namespace gs::datagen
