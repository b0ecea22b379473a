#include "datagen/prng.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <vector>

using namespace gs::datagen;

TEST_CASE("splitmix64 matches the reference sequence from state 0") {
  SplitMix64 sm(0);
  CHECK(sm.next() == 0xe220a8397b1dcdafULL);
  CHECK(sm.next() == 0x6e789e6aa1b965f4ULL);
  CHECK(sm.next() == 0x06c45d188009454fULL);
}

// Expected values come from an independent Python model of the same seeding
// and xoshiro256** step; they pin the byte-for-byte dataset of every seed.
TEST_CASE("xoshiro256** stream values are pinned") {
  Prng rng(42, Stream::users);
  CHECK(rng.next() == 0xb57a73291d7926e8ULL);
  CHECK(rng.next() == 0xd481a4d42f94276dULL);
  CHECK(rng.next() == 0x39f2c44650437522ULL);

  Prng ranged(42, Stream::users);
  const std::vector<std::uint64_t> expected = {708, 830, 226, 764, 937};
  std::vector<std::uint64_t> got;
  for (int i = 0; i < 5; ++i) got.push_back(ranged.below(1000));
  CHECK(got == expected);
}

TEST_CASE("same seed and stream repeat; other seeds or streams differ") {
  Prng a(7, Stream::notes), b(7, Stream::notes), other_seed(8, Stream::notes),
      other_stream(7, Stream::references);
  int differ_seed = 0, differ_stream = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto value = a.next();
    REQUIRE(value == b.next());
    differ_seed += value != other_seed.next();
    differ_stream += value != other_stream.next();
  }
  CHECK(differ_seed == 1000);
  CHECK(differ_stream == 1000);
}

TEST_CASE("between hits both bounds and nothing outside") {
  Prng rng(1, Stream::tunes);
  std::array<int, 5> seen{};
  for (int i = 0; i < 10'000; ++i) {
    const auto v = rng.between(2, 6);
    REQUIRE(v >= 2);
    REQUIRE(v <= 6);
    ++seen[static_cast<std::size_t>(v - 2)];
  }
  for (int count : seen) {
    CHECK(count > 1800);  // ~2000 each
    CHECK(count < 2200);
  }
}

TEST_CASE("chance and unit follow the asked probability") {
  Prng rng(3, Stream::playlists);
  int hits = 0;
  for (int i = 0; i < 100'000; ++i) {
    const double u = rng.unit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    hits += rng.chance(0.3);
  }
  CHECK(hits > 29'300);
  CHECK(hits < 30'700);
  CHECK_FALSE(rng.chance(0.0));
  CHECK(rng.chance(1.0));
}
