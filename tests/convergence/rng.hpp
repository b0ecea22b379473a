// The convergence tests' random choices: splitmix64 (the generator datagen
// uses, datagen/prng.hpp), so a seed replays the same run on every build.
#pragma once

#include <cstdint>
#include <vector>

#include "datagen/prng.hpp"

namespace gs::convergence {

struct Rng {
  datagen::SplitMix64 mix;
  explicit Rng(std::uint64_t seed) : mix(seed) {}
  std::uint64_t next() { return mix.next(); }
  // Uniform enough in [0, n) for picking test cases.
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  template <class T>
  const T &of(const std::vector<T> &v) {
    return v.at(static_cast<std::size_t>(below(static_cast<int>(v.size()))));
  }
};

}  // namespace gs::convergence
