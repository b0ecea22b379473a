#pragma once
// A line chart written as a standalone SVG file: axes with ticks, one
// polyline per series, a legend. Enough for the depth curve, no dependency.
#include <string>
#include <string_view>
#include <vector>

namespace gs::bench {

struct Point {
  double x, y;
};

struct Series {
  std::string name;
  std::vector<Point> points;  // points with a non-finite y are left out
};

struct LinePlot {
  std::string title, x_label, y_label;
  std::vector<Series> series;
  int width = 860, height = 500;
};

std::string xml_escape(std::string_view s);

// Tick positions covering [lo, hi] at a 1-2-5 step, about `target` of them.
std::vector<double> nice_ticks(double lo, double hi, int target);

std::string render_svg(const LinePlot &plot);

}  // namespace gs::bench
