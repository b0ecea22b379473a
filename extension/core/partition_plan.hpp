// How sync_partition_bounds cuts a user's rows into key ranges: whether to
// sample, and the ranges from the parts the database counted.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/cursor.hpp"

namespace gs {

inline constexpr int max_parts = 1024;

// Throws 22023 unless 1 <= parts <= max_parts.
int require_parts(int parts);

// The parts a call that leaves p_parts out, or passes NULL, gets: RPC
// gateways such as PostgREST can only leave an argument out when it has a
// default, and NULL must mean the same as leaving it out (as p_limit's does).
// Four ranges keep a worker's few connections busy without cutting a small
// user's rows into ranges smaller than a page. The SQL DEFAULT in
// extension/sql/1.2--1.3/50_defaults.sql says the same number.
inline constexpr int default_parts = 4;

// default_parts for a missing p_parts, otherwise require_parts.
int parts_or_default(std::optional<int> parts);

struct SamplePlan {
  bool sampled;
  double percent;  // of the table's rows; 100 when not sampled
};

// A sample of sample_rows_per_part table rows a part (at least
// min_sample_rows, at most max_sample_rows) costs what the parts need and
// not what the table holds; its parts differ by several percent (up to 17%
// at 8 parts on the benchmark data). Tables holding under four times that
// are read whole: a sample of a quarter of a table costs about what reading
// it does.
inline constexpr double sample_rows_per_part = 400;
inline constexpr double min_sample_rows = 3000;
inline constexpr double max_sample_rows = 30000;
SamplePlan plan_sample(double estimated_table_rows, int parts);

// A sample holding fewer of the user's rows than this a part would cut
// unevenly: the user has few rows of the table, and the caller reads them
// whole instead.
inline constexpr std::int64_t min_sampled_rows_per_part = 100;

// One ntile group as the database returned it, in key order.
struct PartSample {
  std::int64_t rows;
  Cursor last;
};

struct AfterBound {
  Cursor key;
  bool has_id;  // false: "after this timestamp" (the seed's meaning)
};

// (after, until]; nullopt after = from the start, nullopt until = open-ended.
struct PartRange {
  int part;
  std::optional<AfterBound> after;
  std::optional<Cursor> until;
  std::int64_t estimated_rows;
};

// `parts` contiguous ranges covering every key after `after_local` (a
// timestamp in cursor units) once: part k ends at the last key of group k,
// the last part is open-ended, and missing groups become empty ranges.
std::vector<PartRange> plan_ranges(const std::vector<PartSample> &groups, int parts,
                                   double sample_percent, std::optional<std::int64_t> after_local);

}  // namespace gs
