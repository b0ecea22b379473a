#pragma once
// A user's rows of one or more tables over several connections at once: the
// key ranges come from sync_partition_bounds up front, every connection (one
// thread each) takes the next unfetched range, largest estimate first, and
// walks it page by page to its end.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/pg_connection.hpp"
#include "cpu_time.hpp"
#include "envelope_reader.hpp"
#include "progress.hpp"

namespace gs::bench {

// How a range is walked: sync_pull's envelope (text cursors, exact in any
// TimeZone), or the page functions (sync_notes_page ...: timestamptz/uuid
// keys, exact in a UTC session, which every bench connection is).
enum class FetchVia { pull, pages };

struct PullTarget {
  std::string table;    // sync_pull's p_table: note, reference, tune
  std::string user_id;  // p_genre_ids is NULL: the user's effective genres
  int page_size = 1000;
  int rtt_ms = 0;  // simulated network round trip: a sleep before each request
  FetchVia via = FetchVia::pull;
};

// ProgressReporter for several threads.
class SharedProgress {
 public:
  explicit SharedProgress(double interval_seconds) : reporter_(interval_seconds) {}
  void record(double latency_ms) {
    std::lock_guard lock(mutex_);
    reporter_.record(latency_ms);
  }

 private:
  std::mutex mutex_;
  ProgressReporter reporter_;
};

struct ConnectionTally {
  int ranges = 0;
  int requests = 0;
  long long rows = 0;
  CpuTime client;  // its thread's, the bounds request's included
};

struct ParallelPull {
  std::vector<std::vector<RowKey>>
      rows;  // per target: every connection's rows, in no particular order
  std::vector<std::vector<long long>>
      range_rows;                 // per target: the rows of each of its ranges, in key order
  std::vector<double> latencies;  // one per sync_pull request, simulated round trip included
  std::vector<ConnectionTally> per_connection;
  int ranges = 0;
  double bounds_ms = 0;  // the sync_partition_bounds requests (0 with one range a target)
  double wall_ms = 0;    // from the bounds request to the last row, as the user waits
  CpuTime client_cpu;    // every thread of the run
  std::optional<CpuTime>
      server_cpu;  // the backends of the run, when all are processes of this machine
};

// Cuts each target's rows into P x K parts (P connections, K
// parts_per_connection; the targets' bounds requests run at once, on
// different connections), merges neighbouring parts that fit in one page
// into one range, and then fetches all ranges over `connections`.
// With P = K = 1 a target is one open range and gets no bounds request: the
// plain sequential pull, target after target. Rethrows the first error of
// any thread after all have stopped.
ParallelPull pull_in_parallel(const std::vector<tools::PgConnection *> &connections,
                              const std::vector<PullTarget> &targets, int parts_per_connection,
                              SharedProgress &progress);

}  // namespace gs::bench
