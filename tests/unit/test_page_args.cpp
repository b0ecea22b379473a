#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/page_args.hpp"

using gs::BoundKind;

namespace {

// The SQLSTATE, message, detail and hint a call throws, for exact checks.
template <typename Fn>
gs::Error thrown_by(Fn &&fn) {
  try {
    fn();
  } catch (const gs::Error &e) {
    return e;
  }
  FAIL("no gs::Error thrown");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("p_user_id must be given") {
  CHECK_NOTHROW(gs::require_user_id(false));
  auto e = thrown_by([] { gs::require_user_id(true); });
  CHECK(e.sqlstate() == "22004");
  CHECK(std::string(e.what()) == "p_user_id must not be null");
}

TEST_CASE("p_limit: NULL means the default, capped by the maximum") {
  CHECK(gs::resolve_limit(std::nullopt, 10000) == 1000);
  CHECK(gs::resolve_limit(std::nullopt, 500) == 500);
  CHECK(gs::resolve_limit(1, 10000) == 1);
  CHECK(gs::resolve_limit(10000, 10000) == 10000);
}

TEST_CASE("p_limit out of range is 22023 naming the argument and the bound") {
  for (int bad : {0, -1, 10001, INT32_MIN}) {
    auto e = thrown_by([&] { gs::resolve_limit(bad, 10000); });
    CHECK(e.sqlstate() == "22023");
    CHECK(std::string(e.what()) == "p_limit must be between 1 and 10000");
    CHECK(e.detail() == "p_limit is " + std::to_string(bad) + ".");
    CHECK(e.hint() == "The upper bound is the genre_sync.max_page_size setting.");
  }
}

TEST_CASE("p_offset: NULL means 0, negative is 22023") {
  CHECK(gs::resolve_offset(std::nullopt) == 0);
  CHECK(gs::resolve_offset(0) == 0);
  CHECK(gs::resolve_offset(INT32_MAX) == INT32_MAX);
  auto e = thrown_by([] { gs::resolve_offset(-5); });
  CHECK(e.sqlstate() == "22023");
  CHECK(std::string(e.what()) == "p_offset must not be negative");
  CHECK(e.detail() == "p_offset is -5.");
}

TEST_CASE("keyset bounds are classified, an id alone is rejected") {
  CHECK(gs::classify_bound(false, false, "p_after_timestamp", "p_after_id") == BoundKind::none);
  CHECK(gs::classify_bound(true, false, "p_after_timestamp", "p_after_id") == BoundKind::timestamp);
  CHECK(gs::classify_bound(true, true, "p_after_timestamp", "p_after_id") ==
        BoundKind::timestamp_and_id);
  auto e = thrown_by([] { gs::classify_bound(false, true, "p_until_timestamp", "p_until_id"); });
  CHECK(e.sqlstate() == "22023");
  CHECK(std::string(e.what()) == "p_until_id requires p_until_timestamp");
}

TEST_CASE("genre arrays must have at most one dimension") {
  CHECK_NOTHROW(gs::require_one_dimension(0, "p_genre_ids"));
  CHECK_NOTHROW(gs::require_one_dimension(1, "p_genre_ids"));
  auto e = thrown_by([] { gs::require_one_dimension(3, "p_genre_ids"); });
  CHECK(e.sqlstate() == "2202E");
  CHECK(std::string(e.what()) == "p_genre_ids must be a one-dimensional array");
  CHECK(e.detail() == "The array has 3 dimensions.");
}
