#pragma once

#include <cstdint>
#include <string>

namespace gs::indexer {

// One row of pg_stat_progress_create_index for the build we run.
struct ProgressSample {
  std::string phase;
  std::int64_t blocks_done = 0;
  std::int64_t blocks_total = 0;
  std::int64_t tuples_done = 0;
  std::int64_t tuples_total = 0;
};

// Percent of the current phase: blocks when the phase counts blocks, else
// tuples; -1 when the phase reports neither (e.g. waiting for old snapshots).
int phase_percent(const ProgressSample &sample);

// "genre_sync_note_tune_ref_idx | building index: scanning table | blocks 120/480 | tuples 0/0 |
// 25% | 1.4 s"
std::string format_progress(const std::string &index_name, const ProgressSample &sample,
                            double elapsed_seconds);

}  // namespace gs::indexer
