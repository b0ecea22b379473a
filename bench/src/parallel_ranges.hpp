#pragma once
// Which range a free connection takes next, and how even the ranges came out.
#include <cstddef>
#include <utility>
#include <vector>

namespace gs::bench {

// Consecutive parts of one table merged into ranges, as [first, last) part
// indexes: neighbours whose estimated rows fit in one page together become
// one range, so they cost one request instead of one each. Bigger parts
// stay as they are.
std::vector<std::pair<std::size_t, std::size_t>> page_filling_ranges(
    const std::vector<long long> &estimated_rows, int page_size);

// Indexes of the ranges, largest estimate first (ties in the given order):
// the longest ranges start at once and the short ones fill the connections
// that finish early, so no connection starts a long range while the others
// are nearly done.
std::vector<std::size_t> largest_first(const std::vector<long long> &estimated_rows);

// The largest range's row count over the smallest's: 1 for equal ranges,
// infinity when one is empty and another is not, NaN with fewer than two.
double max_over_min(const std::vector<long long> &rows);

}  // namespace gs::bench
