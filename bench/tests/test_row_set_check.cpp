#include <catch2/catch.hpp>

#include "row_set_check.hpp"

using namespace gs::bench;

namespace {
const RowKey a{"a", "2024-01-01T00:00:00"}, b{"b", "2024-01-01T00:00:01"},
    c{"c", "2024-01-01T00:00:02"};
}

TEST_CASE("row set: the same rows in another order match, with the same digest") {
  CHECK(row_set_difference({a, b, c}, {c, a, b}).empty());
  CHECK(row_set_digest({a, b, c}) == row_set_digest({c, a, b}));
  CHECK(row_set_difference({}, {}).empty());
}

TEST_CASE("row set: missing, extra and repeated rows are each named") {
  CHECK(row_set_difference({a, b, c}, {a, c}) == "1 missing (e.g. b at 2024-01-01T00:00:01)");
  CHECK(row_set_difference({a, b}, {a, b, c}) == "1 extra (e.g. c at 2024-01-01T00:00:02)");
  CHECK(row_set_difference({a, b}, {a, b, b}) == "1 repeated (e.g. b at 2024-01-01T00:00:01)");
  CHECK(row_set_difference({a, b, c}, {a, a, b}) ==
        "1 missing (e.g. c at 2024-01-01T00:00:02); 1 repeated (e.g. a at 2024-01-01T00:00:00)");
  CHECK(row_set_difference({a, a}, {a}) ==
        "1 repeated in the sequential pull (e.g. a at 2024-01-01T00:00:00)");
}

TEST_CASE("row set: a row with another timestamp is not the same row") {
  const RowKey b_later{"b", "2024-01-01T00:00:09"};
  CHECK(row_set_difference({a, b}, {a, b_later}) ==
        "1 missing (e.g. b at 2024-01-01T00:00:01); 1 extra (e.g. b at 2024-01-01T00:00:09)");
  CHECK(row_set_digest({a, b}) != row_set_digest({a, b_later}));
}

TEST_CASE("row set: the digest counts repeats and depends on every row") {
  CHECK(row_set_digest({a, b}) != row_set_digest({a, b, b}));
  CHECK(row_set_digest({a}) != row_set_digest({b}));
  CHECK(row_set_digest({}) == 0);
}
