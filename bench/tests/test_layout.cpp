#include <catch2/catch.hpp>

#include "layout.hpp"

using namespace gs::bench;

TEST_CASE("a layout is named by the correlations of all three tables") {
  CHECK(classify_layout({{"tune", 0.99}, {"note", 0.95}, {"reference", 0.91}}) == "time order");
  CHECK(classify_layout({{"tune", 0.01}, {"note", -0.05}, {"reference", 0.099}}) == "shuffled");
  CHECK(classify_layout({{"tune", 0.99}, {"note", 0.02}, {"reference", 0.99}}) == "mixed");
  CHECK(classify_layout({{"tune", 0.9}, {"note", 0.99}, {"reference", 0.99}}) == "mixed");
  CHECK(classify_layout({{"tune", -0.1}, {"note", 0.0}, {"reference", 0.0}}) == "mixed");
  CHECK(classify_layout({{"tune", -0.99}, {"note", -0.99}, {"reference", -0.99}}) == "mixed");
  CHECK(classify_layout({{"tune", 0.99}, {"note", std::nullopt}, {"reference", 0.99}}) ==
        "unknown");
  CHECK(classify_layout({}) == "unknown");
}

TEST_CASE("correlations are printed with three decimals, '-' without statistics") {
  const Layout l{"mixed", {{"tune", 0.9987}, {"note", std::nullopt}, {"reference", -0.0123}}};
  CHECK(correlations_text(l) == "tune 0.999, note -, reference -0.012");
}
