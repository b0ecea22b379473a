#include <catch2/catch.hpp>
#include <cmath>

#include "stats.hpp"

using namespace gs::bench;

TEST_CASE("median of odd and even counts, unsorted input") {
  CHECK(median({5, 1, 3}) == 3);
  CHECK(median({4, 1, 3, 2}) == 2.5);
  CHECK(median({7}) == 7);
}

TEST_CASE("percentiles interpolate between closest ranks") {
  const std::vector<double> v = {10, 20, 30, 40, 50};
  CHECK(percentile(v, 0) == 10);
  CHECK(percentile(v, 100) == 50);
  CHECK(percentile(v, 25) == 20);
  CHECK(percentile(v, 95) == Approx(48));
  CHECK(percentile(v, 99) == Approx(49.6));
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  CHECK(percentile(hundred, 95) == Approx(95.05));
  CHECK(percentile(hundred, 99) == Approx(99.01));
}

TEST_CASE("percentile outside 0..100 is rejected") {
  CHECK_THROWS_AS(percentile({1, 2}, 101), std::invalid_argument);
  CHECK_THROWS_AS(percentile({1, 2}, -1), std::invalid_argument);
  CHECK_THROWS_AS(percentile({1, 2}, std::nan("")), std::invalid_argument);
}

TEST_CASE("population standard deviation") {
  CHECK(stddev({2, 4, 4, 4, 5, 5, 7, 9}) == Approx(2.0));
  CHECK(stddev({3, 3, 3}) == 0);
  CHECK(stddev({42}) == 0);
  CHECK(mean({1, 2, 3, 4}) == 2.5);
}

TEST_CASE("statistics of nothing are NaN, not zero") {
  CHECK(std::isnan(median({})));
  CHECK(std::isnan(percentile({}, 95)));
  CHECK(std::isnan(mean({})));
  CHECK(std::isnan(stddev({})));
  const Summary s = summarize({});
  CHECK(s.count == 0);
  CHECK(std::isnan(s.avg));
  CHECK(std::isnan(s.p99));
  CHECK(std::isnan(s.min));
}

TEST_CASE("summary of one value is that value everywhere") {
  const Summary s = summarize({8.5});
  CHECK(s.count == 1);
  CHECK(s.avg == 8.5);
  CHECK(s.stddev == 0);
  CHECK(s.min == 8.5);
  CHECK(s.max == 8.5);
  CHECK(s.p50 == 8.5);
  CHECK(s.p95 == 8.5);
  CHECK(s.p99 == 8.5);
}

TEST_CASE("summary of a known vector") {
  const Summary s = summarize({9, 2, 5, 4, 4, 7, 4, 5});
  CHECK(s.count == 8);
  CHECK(s.avg == 5);
  CHECK(s.stddev == Approx(2.0));
  CHECK(s.min == 2);
  CHECK(s.max == 9);
  CHECK(s.p50 == 4.5);
  CHECK(s.p95 == Approx(8.3));
}
