#pragma once

#include "datagen/copy_text.hpp"
#include "datagen/prng.hpp"
#include "datagen/timestamp.hpp"

#include <array>
#include <string_view>

namespace gs::datagen {

// Small value helpers the per-table writers share.

// Uniform over the two-year history, microsecond precision.
inline Micros random_history_time(Prng &rng) {
  return history_start + static_cast<Micros>(rng.below(history_end - history_start));
}

template <std::size_t N>
std::string_view pick(Prng &rng, const std::array<std::string_view, N> &choices) {
  return choices[rng.below(N)];
}

// The app's device_id: half the rows were last written by one of 50 devices.
void put_device_id(CopyRow &row, Prng &rng);

// A nullable boolean: NULL, true, false in equal parts.
void put_optional_flag(CopyRow &row, Prng &rng);

}  // namespace gs::datagen
