#include <catch2/catch.hpp>
#include <cmath>

#include "svg_plot.hpp"

using namespace gs::bench;

namespace {
std::size_t count(const std::string &s, const std::string &needle) {
  std::size_t n = 0;
  for (auto pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("xml_escape") { CHECK(xml_escape("a<b & \"c\">") == "a&lt;b &amp; &quot;c&quot;&gt;"); }

TEST_CASE("nice_ticks use a 1-2-5 step and cover the range") {
  CHECK(nice_ticks(0, 10, 5) == std::vector<double>{0, 2, 4, 6, 8, 10});
  CHECK(nice_ticks(0, 1, 4) == std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1});
  CHECK(nice_ticks(3, 3, 5) == std::vector<double>{3});
}

TEST_CASE("a plot has the svg root, two axes, one polyline and legend entry per series") {
  LinePlot p;
  p.title = "page latency <depth>";
  p.x_label = "page k";
  p.y_label = "ms";
  p.series = {{"OFFSET", {{0, 1}, {10, 5}, {20, 9}}},
              {"keyset", {{0, 1}, {10, std::nan("")}, {20, 1.2}}}};
  const std::string svg = render_svg(p);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.find("</svg>") != std::string::npos);
  CHECK(count(svg, "class=\"axis\"") == 2);
  CHECK(count(svg, "<polyline") == 2);
  CHECK(svg.find("page latency &lt;depth&gt;") != std::string::npos);
  CHECK(svg.find(">OFFSET</text>") != std::string::npos);
  CHECK(svg.find(">keyset</text>") != std::string::npos);
  // The NaN point is left out: the keyset line has two points, not three.
  const auto second = svg.find("<polyline", svg.find("<polyline") + 1);
  const auto pts_start = svg.find("points=\"", second) + 8;
  const std::string pts = svg.substr(pts_start, svg.find('"', pts_start) - pts_start);
  CHECK(count(pts, ",") == 2);
}
