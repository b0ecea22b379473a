#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace gs::bench {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double percentile_of_sorted(const std::vector<double> &sorted, double p) {
  if (sorted.empty()) return kNaN;
  const double rank = p / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const auto hi = static_cast<std::size_t>(std::ceil(rank));
  const double frac = rank - static_cast<double>(lo);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}
}  // namespace

double percentile(std::vector<double> values, double p) {
  if (!(p >= 0.0 && p <= 100.0)) throw std::invalid_argument("percentile must be within 0..100");
  std::sort(values.begin(), values.end());
  return percentile_of_sorted(values, p);
}

double median(std::vector<double> values) { return percentile(std::move(values), 50.0); }

double mean(const std::vector<double> &values) {
  if (values.empty()) return kNaN;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double stddev(const std::vector<double> &values) {
  if (values.empty()) return kNaN;
  const double avg = mean(values);
  double sum_sq = 0;
  for (double v : values) sum_sq += (v - avg) * (v - avg);
  return std::sqrt(sum_sq / static_cast<double>(values.size()));
}

Summary summarize(const std::vector<double> &values) {
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  Summary s;
  s.count = sorted.size();
  s.avg = mean(sorted);
  s.stddev = stddev(sorted);
  s.min = sorted.empty() ? kNaN : sorted.front();
  s.max = sorted.empty() ? kNaN : sorted.back();
  s.p50 = percentile_of_sorted(sorted, 50);
  s.p95 = percentile_of_sorted(sorted, 95);
  s.p99 = percentile_of_sorted(sorted, 99);
  return s;
}

}  // namespace gs::bench
