#include <catch2/catch.hpp>
#include <cmath>

#include "text_table.hpp"

using namespace gs::bench;

TEST_CASE("text table aligns labels left and numbers right") {
  TextTable t({"method", "rows", "ms"});
  t.add_row({"seed OFFSET", "512", "10.25"});
  t.add_row({"COPY", "512"});
  CHECK(t.render() ==
        "method       rows     ms\n"
        "------------------------\n"
        "seed OFFSET   512  10.25\n"
        "COPY          512\n");
  CHECK_THROWS_AS(t.add_row({"a", "b", "c", "d"}), std::logic_error);
}

TEST_CASE("fixed formats NaN as a dash") {
  CHECK(fixed(1.23456, 2) == "1.23");
  CHECK(fixed(2, 0) == "2");
  CHECK(fixed(std::nan(""), 2) == "-");
}
