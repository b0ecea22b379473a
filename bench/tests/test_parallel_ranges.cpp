#include <catch2/catch.hpp>

#include <cmath>

#include "parallel_ranges.hpp"

using namespace gs::bench;

TEST_CASE("parallel ranges: the largest estimates are taken first, ties in key order") {
  CHECK(largest_first({10, 30, 20, 30}) == std::vector<std::size_t>{1, 3, 2, 0});
  CHECK(largest_first({5, 5, 5}) == std::vector<std::size_t>{0, 1, 2});
  CHECK(largest_first({}).empty());
}

TEST_CASE("parallel ranges: how even the ranges are") {
  CHECK(max_over_min({1000, 1100, 1250}) == Approx(1.25));
  CHECK(max_over_min({7, 7}) == 1.0);
  CHECK(max_over_min({0, 0}) == 1.0);
  CHECK(std::isinf(max_over_min({0, 3})));
  CHECK(std::isnan(max_over_min({42})));
}

TEST_CASE("parallel ranges: neighbours that fit in a page merge") {
  using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;
  // The seed's notes: 931 rows in four parts are one page, one range.
  CHECK(page_filling_ranges({233, 233, 233, 232}, 1000) == Ranges{{0, 4}});
  // Its 1,653 references: two ranges of two parts.
  CHECK(page_filling_ranges({414, 413, 413, 413}, 1000) == Ranges{{0, 2}, {2, 4}});
  // Parts of more than half a page stay as they are.
  CHECK(page_filling_ranges({600, 600, 600}, 1000) == Ranges{{0, 1}, {1, 2}, {2, 3}});
  CHECK(page_filling_ranges({11000, 11000, 10900}, 1000) == Ranges{{0, 1}, {1, 2}, {2, 3}});
  // A small part after a big one joins the next small one, not the big one.
  CHECK(page_filling_ranges({900, 200, 300}, 1000) == Ranges{{0, 1}, {1, 3}});
  // Nothing estimated: one range over everything.
  CHECK(page_filling_ranges({0, 0, 0}, 1000) == Ranges{{0, 3}});
  CHECK(page_filling_ranges({}, 1000).empty());
}
