#include "datagen/genre_catalog.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace gs::datagen {

const std::array<GenreInfo, genre_count> genre_catalog = {{
    {"irish", "Irish Traditional", "Ireland", 400},
    {"oldtime", "Old-Time", "Appalachia", 120},
    {"scottish", "Scottish", "Scotland", 70},
    {"bluegrass", "Bluegrass", "United States", 52},
    {"contra", "Contra Dance", "New England", 40},
    {"capebreton", "Cape Breton", "Nova Scotia", 34},
    {"english", "English Country", "England", 30},
    {"quebecois", "Québécois", "Québec", 26},
    {"klezmer", "Klezmer", "Eastern Europe", 21},
    {"swedish", "Swedish Polska", "Sweden", 19},
    {"breton", "Breton", "Brittany", 17},
    {"shetland", "Shetland", "Shetland", 16},
    {"northumbrian", "Northumbrian", "England", 15},
    {"welsh", "Welsh", "Wales", 14},
    {"cajun", "Cajun", "Louisiana", 13},
    {"galician", "Galician", "Galicia", 13},
    {"norwegian", "Norwegian", "Norway", 12},
    {"balfolk", "French Bal Folk", "France", 12},
    {"balkan", "Balkan", "Balkans", 12},
    {"greek", "Greek", "Greece", 11},
    {"choro", "Choro", "Brazil", 11},
    {"texas", "Texas Fiddle", "Texas", 11},
    {"metis", "Métis Fiddle", "Canada", 11},
    {"basque", "Basque", "Basque Country", 10},
    {"manx", "Manx", "Isle of Man", 10},
}};

std::vector<std::uint32_t> genre_weights() {
  std::vector<std::uint32_t> weights;
  for (const auto &genre : genre_catalog) {
    weights.push_back(genre.weight);
  }
  return weights;
}

std::vector<std::uint64_t> allocate_by_weight(std::uint64_t total,
                                              const std::vector<std::uint32_t> &weights,
                                              std::uint64_t minimum) {
  const std::uint64_t reserved = minimum * weights.size();
  if (weights.empty() || total < reserved) {
    throw std::invalid_argument("allocate_by_weight: total below the minimum per weight");
  }
  const std::uint64_t weight_sum =
      std::accumulate(weights.begin(), weights.end(), std::uint64_t{0});
  const std::uint64_t rest = total - reserved;
  std::vector<std::uint64_t> counts(weights.size(), minimum);
  std::vector<std::pair<std::uint64_t, std::size_t>> remainders;  // (remainder, index)
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const auto share = static_cast<unsigned __int128>(rest) * weights[i];
    counts[i] += static_cast<std::uint64_t>(share / weight_sum);
    given += static_cast<std::uint64_t>(share / weight_sum);
    remainders.emplace_back(static_cast<std::uint64_t>(share % weight_sum), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto &a, const auto &b) { return a.first > b.first; });
  for (std::uint64_t k = 0; given + k < rest; ++k) {
    ++counts[remainders[k].second];
  }
  return counts;
}

}  // namespace gs::datagen
