#pragma once
// pgbench's -P: every N seconds, one line on stderr about the requests done
// since the previous line.
#include <chrono>
#include <vector>

namespace gs::bench {

class ProgressReporter {
 public:
  // interval_seconds 0: silent.
  explicit ProgressReporter(double interval_seconds);
  void record(double latency_ms);

 private:
  using Clock = std::chrono::steady_clock;
  double interval_;
  Clock::time_point start_, window_start_;
  std::vector<double> window_;
};

}  // namespace gs::bench
