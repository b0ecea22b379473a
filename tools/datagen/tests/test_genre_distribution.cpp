#include "datagen/dataset_plan.hpp"
#include "datagen/genre_catalog.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

using namespace gs::datagen;

TEST_CASE("the catalog has 25 distinct short ids, weights sum to 1000 and never grow") {
  const auto weights = genre_weights();
  CHECK(std::accumulate(weights.begin(), weights.end(), 0u) == 1000u);
  for (std::size_t g = 1; g < genre_count; ++g) {
    CHECK(weights[g] <= weights[g - 1]);
    CHECK(genre_catalog[g].id.size() <= 12);
    for (std::size_t h = 0; h < g; ++h) CHECK(genre_catalog[g].id != genre_catalog[h].id);
  }
}

TEST_CASE("allocate_by_weight is exact, respects the minimum and sums to the total") {
  CHECK(allocate_by_weight(10, {1, 1, 1}, 0) == std::vector<std::uint64_t>{4, 3, 3});
  CHECK(allocate_by_weight(10, {5, 3, 2}, 1) == std::vector<std::uint64_t>{5, 3, 2});
  CHECK(allocate_by_weight(3, {100, 1, 1}, 1) == std::vector<std::uint64_t>{1, 1, 1});
  CHECK_THROWS_AS(allocate_by_weight(2, {1, 1, 1}, 1), std::invalid_argument);
  const auto counts = allocate_by_weight(2906, genre_weights(), 1);
  CHECK(std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}) == 2906);
}

namespace {

std::vector<double> public_genre_shares(const DatasetPlan &plan) {
  std::vector<double> shares(genre_count, 0.0);
  for (std::uint32_t t = 0; t < plan.public_tunes; ++t) {
    shares[plan.tunes[t].genre] += 1.0;
  }
  for (auto &share : shares) share /= plan.public_tunes;
  return shares;
}

}  // namespace

TEST_CASE("public tunes per genre are Zipf-like: 40%, 12%, ..., 1%, 1%") {
  for (double scale : {1.0, 10.0}) {
    CAPTURE(scale);
    const auto shares = public_genre_shares(plan_dataset(scale, 1));
    CHECK(shares[0] == Approx(0.40).margin(0.005));
    CHECK(shares[1] == Approx(0.12).margin(0.005));
    CHECK(shares[23] == Approx(0.01).margin(0.002));
    CHECK(shares[24] == Approx(0.01).margin(0.002));
    const auto largest = std::max_element(shares.begin(), shares.end());
    CHECK(largest == shares.begin());
    // the named two-genre user's genres are mid-size: 2% to 5% each
    for (auto g : two_genre_user_genres) {
      CHECK(shares[g] > 0.02);
      CHECK(shares[g] < 0.05);
    }
  }
}

TEST_CASE("every genre keeps at least one public, non-deleted tune even at scale 0.1") {
  const DatasetPlan plan = plan_dataset(0.1, 5);
  std::vector<int> alive(genre_count, 0);
  for (std::uint32_t t = 0; t < plan.public_tunes; ++t) {
    alive[plan.tunes[t].genre] += !plan.tunes[t].deleted;
  }
  for (std::size_t g = 0; g < genre_count; ++g) {
    CAPTURE(g);
    CHECK(alive[g] >= 1);
  }
}
