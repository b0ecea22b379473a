#include "row_set_check.hpp"

#include <algorithm>
#include <iterator>

namespace gs::bench {

namespace {
std::uint64_t fnv1a(const RowKey &k) {
  std::uint64_t h = 14695981039346656037ULL;
  const auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ULL;
  };
  for (unsigned char c : k.id) mix(c);
  mix(':');
  for (unsigned char c : k.last_modified_at) mix(c);
  return h;
}

std::string describe(const RowKey &k) { return k.id + " at " + k.last_modified_at; }

// Moves the second and later copies of each key out of `rows` (sorted).
// (std::unique leaves the removed elements unspecified, so it cannot say
// which ones were repeated.)
std::vector<RowKey> take_repeats(std::vector<RowKey> &rows) {
  std::vector<RowKey> kept, repeats;
  for (auto &k : rows) {
    if (!kept.empty() && kept.back() == k)
      repeats.push_back(std::move(k));
    else
      kept.push_back(std::move(k));
  }
  rows = std::move(kept);
  return repeats;
}
}  // namespace

std::uint64_t row_set_digest(const std::vector<RowKey> &rows) {
  std::uint64_t sum = 0;
  for (const auto &k : rows) sum += fnv1a(k);
  return sum;
}

std::string row_set_difference(std::vector<RowKey> expected, std::vector<RowKey> got) {
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  // A repeat in the reference is a bug of the sequential pull itself.
  const auto expected_repeats = take_repeats(expected);
  const auto repeats = take_repeats(got);
  std::vector<RowKey> missing, extra;
  std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                      std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  if (missing.empty() && extra.empty() && repeats.empty() && expected_repeats.empty()) return "";

  std::string out;
  const auto add = [&out](const std::vector<RowKey> &keys, const char *what) {
    if (keys.empty()) return;
    if (!out.empty()) out += "; ";
    out += std::to_string(keys.size()) + " " + what + " (e.g. " + describe(keys.front()) + ")";
  };
  add(missing, "missing");
  add(extra, "extra");
  add(repeats, "repeated");
  add(expected_repeats, "repeated in the sequential pull");
  return out;
}

}  // namespace gs::bench
