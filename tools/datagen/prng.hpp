#pragma once

#include <cstdint>

namespace gs::datagen {

// Our own generators rather than std:: distributions, whose output differs
// between standard libraries: the same --seed must give the same bytes on
// every build.

// splitmix64 (Steele, Lea, Flood): seeds xoshiro and hashes ids.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t state) noexcept : state_(state) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

// One splitmix64 step as a pure function: a well-mixed hash of `x`.
inline std::uint64_t mix64(std::uint64_t x) noexcept { return SplitMix64(x).next(); }

// Independent random streams, one per purpose, so that changing how one
// table is generated does not shift the values of any other.
// The same values name the id spaces of derived_uuid().
enum class Stream : std::uint64_t {
  users = 1,
  tunes,
  playlists,
  playlist_tunes,
  notes,
  references,
  selections,
  bulk_timestamps,
  user_rows,
  tune_rows,
  playlist_rows,
  playlist_tune_rows,
  selection_rows,
};

// xoshiro256** (Blackman, Vigna).
class Prng {
 public:
  Prng(std::uint64_t seed, Stream stream) noexcept {
    SplitMix64 seeder(mix64(seed) ^ mix64(static_cast<std::uint64_t>(stream) << 32));
    for (auto &word : state_) {
      word = seeder.next();
    }
  }

  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n) by multiply-shift (Lemire); the bias is below 2^-32
  // for every n we use, and it needs no rejection loop.
  std::uint64_t below(std::uint64_t n) noexcept {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }

  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) noexcept {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // Uniform in [0, 1) with 53 bits.
  double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  bool chance(double probability) noexcept { return unit() < probability; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

  std::uint64_t state_[4];
};

}  // namespace gs::datagen
