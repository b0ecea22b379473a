#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/partition_plan.hpp"

namespace {

gs::Cursor key(std::int64_t micros, std::uint8_t id_byte) {
  gs::Cursor c;
  c.unix_micros = micros;
  c.id.fill(id_byte);
  return c;
}

}  // namespace

TEST_CASE("p_parts is bounded") {
  CHECK(gs::require_parts(1) == 1);
  CHECK(gs::require_parts(gs::max_parts) == gs::max_parts);
  for (int bad : {0, -3, gs::max_parts + 1}) {
    try {
      gs::require_parts(bad);
      FAIL("no error");
    } catch (const gs::Error &e) {
      CHECK(e.sqlstate() == "22023");
      CHECK(std::string(e.what()) == "p_parts must be between 1 and 1024");
    }
  }
}

TEST_CASE("a missing p_parts means the default, a given one is bounded") {
  CHECK(gs::parts_or_default(std::nullopt) == gs::default_parts);
  CHECK(gs::parts_or_default(7) == 7);
  CHECK_THROWS_AS(gs::parts_or_default(0), gs::Error);
}

TEST_CASE("the sample grows with the parts, between 3,000 and 30,000 rows") {
  CHECK(gs::plan_sample(1000000, 1).percent == Approx(0.3));
  CHECK(gs::plan_sample(1000000, 8).percent == Approx(0.32));
  CHECK(gs::plan_sample(1000000, 16).percent == Approx(0.64));
  CHECK(gs::plan_sample(1000000, gs::max_parts).percent == Approx(3.0));
}

TEST_CASE("tables under four samples are read whole") {
  CHECK(gs::plan_sample(12800, 8).sampled);
  CHECK_FALSE(gs::plan_sample(12799, 8).sampled);
  CHECK(gs::plan_sample(12799, 8).percent == 100);
  CHECK_FALSE(gs::plan_sample(11999, 1).sampled);
  CHECK(gs::plan_sample(12000, 1).percent == Approx(25.0));
  CHECK_FALSE(gs::plan_sample(-1, 8).sampled);  // never analyzed: no estimate
}

TEST_CASE("ranges are contiguous, the last open-ended, sizes scaled by the sample") {
  std::vector<gs::PartSample> groups = {{10, key(100, 1)}, {10, key(200, 2)}, {9, key(300, 3)}};
  auto ranges = gs::plan_ranges(groups, 3, 10.0, std::nullopt);
  REQUIRE(ranges.size() == 3);
  CHECK_FALSE(ranges[0].after);
  CHECK(ranges[0].until == key(100, 1));
  CHECK(ranges[1].after->key == key(100, 1));
  CHECK(ranges[1].after->has_id);
  CHECK(ranges[1].until == key(200, 2));
  CHECK(ranges[2].after->key == key(200, 2));
  CHECK_FALSE(ranges[2].until);
  CHECK(ranges[0].estimated_rows == 100);
  CHECK(ranges[2].estimated_rows == 90);
}

TEST_CASE("the first range starts after p_after_timestamp, with the seed's meaning") {
  auto ranges = gs::plan_ranges({{5, key(500, 7)}, {5, key(900, 8)}}, 2, 100, 400);
  CHECK(ranges[0].after->key.unix_micros == 400);
  CHECK_FALSE(ranges[0].after->has_id);
  CHECK(ranges[0].after->key.id[15] == 0xff);  // (400, max id) excludes all of 400
}

TEST_CASE("fewer groups than parts leave empty ranges before the open-ended last") {
  auto ranges = gs::plan_ranges({{2, key(50, 1)}}, 4, 100, std::nullopt);
  REQUIRE(ranges.size() == 4);
  CHECK(ranges[0].until == key(50, 1));
  CHECK(ranges[1].after->key == key(50, 1));
  CHECK(ranges[1].until == key(50, 1));
  CHECK(ranges[2].until == key(50, 1));
  CHECK_FALSE(ranges[3].until);
  CHECK(ranges[1].estimated_rows == 0);
  CHECK(ranges[3].estimated_rows == 0);

  auto none = gs::plan_ranges({}, 3, 100, std::nullopt);
  CHECK(none[0].until->unix_micros == gs::min_unix_micros);
  CHECK(none[1].after->key.unix_micros == gs::min_unix_micros);
  CHECK_FALSE(none[2].until);
}
