#include "progress.hpp"

#include <cstdio>

#include "stats.hpp"

namespace gs::bench {

ProgressReporter::ProgressReporter(double interval_seconds)
    : interval_(interval_seconds), start_(Clock::now()), window_start_(start_) {}

void ProgressReporter::record(double latency_ms) {
  if (interval_ <= 0) return;
  window_.push_back(latency_ms);
  const auto now = Clock::now();
  const double window_s = std::chrono::duration<double>(now - window_start_).count();
  if (window_s < interval_) return;
  const double total_s = std::chrono::duration<double>(now - start_).count();
  std::fprintf(stderr, "progress: %.1f s, %.1f req/s, lat %.3f ms stddev %.3f\n", total_s,
               static_cast<double>(window_.size()) / window_s, mean(window_), stddev(window_));
  window_.clear();
  window_start_ = now;
}

}  // namespace gs::bench
