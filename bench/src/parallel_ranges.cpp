#include "parallel_ranges.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace gs::bench {

std::vector<std::size_t> largest_first(const std::vector<long long> &estimated_rows) {
  std::vector<std::size_t> order(estimated_rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return estimated_rows[a] > estimated_rows[b];
  });
  return order;
}

std::vector<std::pair<std::size_t, std::size_t>> page_filling_ranges(
    const std::vector<long long> &estimated_rows, int page_size) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  long long in_range = 0;
  for (std::size_t i = 0; i < estimated_rows.size(); ++i) {
    if (!out.empty() && in_range + estimated_rows[i] <= page_size) {
      out.back().second = i + 1;
      in_range += estimated_rows[i];
    } else {
      out.emplace_back(i, i + 1);
      in_range = estimated_rows[i];
    }
  }
  return out;
}

double max_over_min(const std::vector<long long> &rows) {
  if (rows.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const auto [least, most] = std::minmax_element(rows.begin(), rows.end());
  if (*least == 0) return *most == 0 ? 1.0 : std::numeric_limits<double>::infinity();
  return static_cast<double>(*most) / static_cast<double>(*least);
}

}  // namespace gs::bench
