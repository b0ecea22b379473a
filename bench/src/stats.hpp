#pragma once
// Order statistics for latency samples. An empty sample has no median, so
// every statistic of an empty vector is NaN (printed as "-", written as null).
#include <cstddef>
#include <vector>

namespace gs::bench {

// Percentile by linear interpolation between closest ranks (PostgreSQL's
// percentile_cont, numpy's default): p in [0, 100].
double percentile(std::vector<double> values, double p);
double median(std::vector<double> values);
double mean(const std::vector<double> &values);
// Population standard deviation, as pgbench reports it.
double stddev(const std::vector<double> &values);

struct Summary {
  std::size_t count = 0;
  double avg = 0, stddev = 0, min = 0, max = 0, p50 = 0, p95 = 0, p99 = 0;
};

Summary summarize(const std::vector<double> &values);

}  // namespace gs::bench
