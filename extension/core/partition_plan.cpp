#include "core/partition_plan.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace gs {

int require_parts(int parts) {
  if (parts < 1 || parts > max_parts)
    throw Error(sqlstate::invalid_parameter_value,
                "p_parts must be between 1 and " + std::to_string(max_parts),
                "p_parts is " + std::to_string(parts) + ".");
  return parts;
}

int parts_or_default(std::optional<int> parts) {
  return parts ? require_parts(*parts) : default_parts;
}

SamplePlan plan_sample(double estimated_table_rows, int parts) {
  const double sample_rows =
      std::clamp(sample_rows_per_part * parts, min_sample_rows, max_sample_rows);
  if (!(estimated_table_rows >= 4 * sample_rows)) return {false, 100};
  return {true, 100 * sample_rows / estimated_table_rows};
}

std::vector<PartRange> plan_ranges(const std::vector<PartSample> &groups, int parts,
                                   double sample_percent, std::optional<std::int64_t> after_local) {
  const int counted = static_cast<int>(groups.size());
  // Where empty parts sit when there are fewer groups than parts: after the
  // last key, else at the start bound, else at the smallest key there is.
  Cursor fallback;
  if (counted > 0) {
    fallback = groups.back().last;
  } else if (after_local) {
    fallback.unix_micros = *after_local;
    fallback.id.fill(0xff);
  } else {
    fallback.unix_micros = min_unix_micros;
  }

  std::vector<PartRange> ranges;
  std::optional<AfterBound> after;
  if (after_local) {
    Cursor start;
    start.unix_micros = *after_local;
    start.id.fill(0xff);
    after = AfterBound{start, false};
  }
  for (int part = 1; part <= parts; ++part) {
    PartRange range{part, after, std::nullopt, 0};
    if (part <= counted)
      range.estimated_rows =
          std::llround(static_cast<double>(groups[part - 1].rows) * 100 / sample_percent);
    if (part < parts) {
      range.until = part <= counted ? groups[part - 1].last : fallback;
      after = AfterBound{*range.until, true};
    }
    ranges.push_back(range);
  }
  return ranges;
}

}  // namespace gs
