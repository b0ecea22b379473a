#include "indexer/progress_line.hpp"

#include <cstdio>

namespace gs::indexer {

int phase_percent(const ProgressSample &sample) {
  const auto percent = [](std::int64_t done, std::int64_t total) {
    if (done >= total) {
      return 100;
    }
    return static_cast<int>(done * 100 / total);
  };
  if (sample.blocks_total > 0) {
    return percent(sample.blocks_done, sample.blocks_total);
  }
  if (sample.tuples_total > 0) {
    return percent(sample.tuples_done, sample.tuples_total);
  }
  return -1;
}

std::string format_progress(const std::string &index_name, const ProgressSample &sample,
                            double elapsed_seconds) {
  const int percent = phase_percent(sample);
  char tail[160];
  if (percent < 0) {
    std::snprintf(tail, sizeof tail, " | blocks %lld/%lld | tuples %lld/%lld |    - | %.1f s",
                  static_cast<long long>(sample.blocks_done),
                  static_cast<long long>(sample.blocks_total),
                  static_cast<long long>(sample.tuples_done),
                  static_cast<long long>(sample.tuples_total), elapsed_seconds);
  } else {
    std::snprintf(tail, sizeof tail, " | blocks %lld/%lld | tuples %lld/%lld | %3d%% | %.1f s",
                  static_cast<long long>(sample.blocks_done),
                  static_cast<long long>(sample.blocks_total),
                  static_cast<long long>(sample.tuples_done),
                  static_cast<long long>(sample.tuples_total), percent, elapsed_seconds);
  }
  return index_name + " | " + (sample.phase.empty() ? "starting" : sample.phase) + tail;
}

}  // namespace gs::indexer
