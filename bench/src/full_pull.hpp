#pragma once
// A user's whole result for one table, page after page until a short page,
// the way the sync worker loops.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "page_fetch.hpp"
#include "progress.hpp"

namespace gs::bench {

struct PullResult {
  long long rows = 0;
  int requests = 0;
  double total_ms = 0;            // sum of the request round trips
  std::vector<double> latencies;  // one per request
  std::uint64_t digest = 0;       // IdDigest of every row id in order
  bool stopped = false;           // limit_ms ran out: rows and digest are partial
};

// after_timestamp set: an incremental pull (rows modified after it).
// limit_ms (page-wise methods only): stop the pull once it has taken that
// long; each page request runs under statement_timeout = what is left.
PullResult pull_all(tools::PgConnection &conn, Method m, Table t, const BenchUser &user,
                    int page_size, const std::optional<std::string> &after_timestamp,
                    ProgressReporter &progress, std::optional<double> limit_ms = std::nullopt);

}  // namespace gs::bench
