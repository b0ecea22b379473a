#include "svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace gs::bench {

namespace {
constexpr const char *kColors[] = {"#d62728", "#1f77b4", "#ff7f0e",
                                   "#2ca02c", "#9467bd", "#8c564b"};
constexpr int kLeft = 70, kRight = 190, kTop = 40, kBottom = 50;

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string tick_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo) || target < 1) return {lo};
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  std::vector<double> ticks;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

std::string render_svg(const LinePlot &plot) {
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_hi = 0;
  for (const auto &s : plot.series)
    for (const auto &p : s.points) {
      if (!std::isfinite(p.y)) continue;
      x_lo = std::min(x_lo, p.x);
      x_hi = std::max(x_hi, p.x);
      y_hi = std::max(y_hi, p.y);
    }
  if (!std::isfinite(x_lo)) x_lo = 0, x_hi = 1;
  if (x_hi <= x_lo) x_hi = x_lo + 1;
  if (y_hi <= 0) y_hi = 1;
  y_hi *= 1.05;

  const double pw = plot.width - kLeft - kRight, ph = plot.height - kTop - kBottom;
  auto sx = [&](double x) { return kLeft + (x - x_lo) / (x_hi - x_lo) * pw; };
  auto sy = [&](double y) { return kTop + ph - y / y_hi * ph; };

  std::string o;
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(plot.width) +
       "\" height=\"" + std::to_string(plot.height) + "\" viewBox=\"0 0 " +
       std::to_string(plot.width) + " " + std::to_string(plot.height) +
       "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  o += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o += "<text x=\"" + fmt(plot.width / 2.0) +
       "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" + xml_escape(plot.title) +
       "</text>\n";

  for (double t : nice_ticks(0, y_hi, 6)) {
    const std::string y = fmt(sy(t));
    o += "<line x1=\"" + fmt(kLeft) + "\" y1=\"" + y + "\" x2=\"" + fmt(kLeft + pw) + "\" y2=\"" +
         y + "\" stroke=\"#e0e0e0\"/>\n";
    o += "<text x=\"" + fmt(kLeft - 6) + "\" y=\"" + y +
         "\" text-anchor=\"end\" dominant-baseline=\"middle\">" + tick_label(t) + "</text>\n";
  }
  for (double t : nice_ticks(x_lo, x_hi, 8)) {
    const std::string x = fmt(sx(t));
    o += "<line x1=\"" + x + "\" y1=\"" + fmt(kTop + ph) + "\" x2=\"" + x + "\" y2=\"" +
         fmt(kTop + ph + 5) + "\" stroke=\"black\"/>\n";
    o += "<text x=\"" + x + "\" y=\"" + fmt(kTop + ph + 18) + "\" text-anchor=\"middle\">" +
         tick_label(t) + "</text>\n";
  }
  o += "<line class=\"axis\" x1=\"" + fmt(kLeft) + "\" y1=\"" + fmt(kTop + ph) + "\" x2=\"" +
       fmt(kLeft + pw) + "\" y2=\"" + fmt(kTop + ph) + "\" stroke=\"black\"/>\n";
  o += "<line class=\"axis\" x1=\"" + fmt(kLeft) + "\" y1=\"" + fmt(kTop) + "\" x2=\"" +
       fmt(kLeft) + "\" y2=\"" + fmt(kTop + ph) + "\" stroke=\"black\"/>\n";
  o += "<text x=\"" + fmt(kLeft + pw / 2) + "\" y=\"" + fmt(plot.height - 10.0) +
       "\" text-anchor=\"middle\">" + xml_escape(plot.x_label) + "</text>\n";
  o += "<text transform=\"translate(16," + fmt(kTop + ph / 2) +
       ") rotate(-90)\" text-anchor=\"middle\">" + xml_escape(plot.y_label) + "</text>\n";

  for (std::size_t i = 0; i < plot.series.size(); ++i) {
    const auto &s = plot.series[i];
    const std::string color = kColors[i % std::size(kColors)];
    std::string pts;
    for (const auto &p : s.points) {
      if (!std::isfinite(p.y)) continue;
      if (!pts.empty()) pts += ' ';
      pts += fmt(sx(p.x)) + "," + fmt(sy(p.y));
    }
    o += "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\" points=\"" + pts +
         "\"/>\n";
    const double ly = kTop + 10 + 20.0 * static_cast<double>(i);
    o += "<line x1=\"" + fmt(kLeft + pw + 15) + "\" y1=\"" + fmt(ly) + "\" x2=\"" +
         fmt(kLeft + pw + 40) + "\" y2=\"" + fmt(ly) + "\" stroke=\"" + color +
         "\" stroke-width=\"2\"/>\n";
    o += "<text x=\"" + fmt(kLeft + pw + 45) + "\" y=\"" + fmt(ly) +
         "\" dominant-baseline=\"middle\">" + xml_escape(s.name) + "</text>\n";
  }
  o += "</svg>\n";
  return o;
}

}  // namespace gs::bench
