#include "parallel_fetch.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <exception>
#include <functional>
#include <thread>

#include "parallel_ranges.hpp"

namespace gs::bench {

namespace {
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A range's bounds both as sync_pull's cursors and as the page functions'
// (timestamptz, uuid) keys; empty = NULL (the beginning, or no end).
struct KeyRange {
  std::size_t target = 0;
  std::string after, until;
  std::string after_ts, after_id, until_ts, until_id;
  long long estimated_rows = 0;
};

const char *or_null(const std::string &s) { return s.empty() ? nullptr : s.c_str(); }

void simulate_round_trip(int rtt_ms) {
  if (rtt_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(rtt_ms));
}

// Runs body(c) on n threads; once one throws, `stop` tells the others to
// give up, and the first error is rethrown after all have joined.
void on_threads(std::size_t n, std::atomic<bool> &stop,
                const std::function<void(std::size_t)> &body) {
  std::vector<std::exception_ptr> errors(n);
  {
    std::vector<std::jthread> threads;
    for (std::size_t c = 0; c < n; ++c)
      threads.emplace_back([&, c] {
        try {
          body(c);
        } catch (...) {
          errors[c] = std::current_exception();
          stop = true;
        }
      });
  }
  for (const auto &e : errors)
    if (e) std::rethrow_exception(e);
}

// The table's parts, neighbours that fit in a page merged.
std::vector<KeyRange> partition(tools::PgConnection &conn, std::size_t target_index,
                                const PullTarget &target, int parts) {
  const std::string parts_text = std::to_string(parts);
  simulate_round_trip(target.rtt_ms);
  auto res = conn.exec(
      "SELECT after_cursor, until_cursor, after_timestamp, after_id, until_timestamp, until_id, "
      "estimated_rows "
      "FROM sync_partition_bounds($1, $2::uuid, NULL, $3::int) ORDER BY part",
      {target.table.c_str(), target.user_id.c_str(), parts_text.c_str()});
  const auto text = [&res](int r, int c) { return std::string(res.value(r, c)); };
  std::vector<long long> estimates;
  for (int r = 0; r < res.rows(); ++r) estimates.push_back(std::stoll(text(r, 6)));
  std::vector<KeyRange> ranges;
  for (const auto &[first, last] : page_filling_ranges(estimates, target.page_size)) {
    const int a = static_cast<int>(first), z = static_cast<int>(last) - 1;
    KeyRange range{target_index, text(a, 0), text(z, 1), text(a, 2),
                   text(a, 3),   text(z, 4), text(z, 5), 0};
    for (std::size_t part = first; part < last; ++part) range.estimated_rows += estimates[part];
    ranges.push_back(std::move(range));
  }
  return ranges;
}

// The backends' CPU so far, summed; nullopt unless every one is a process
// of this machine.
std::optional<CpuTime> backends_cpu(const std::vector<tools::PgConnection *> &connections) {
  CpuTime sum;
  for (auto *conn : connections) {
    const auto cpu = local_backend_cpu(conn->get());
    if (!cpu) return std::nullopt;
    sum += *cpu;
  }
  return sum;
}

struct Worker {
  // Per target. A deque grows without moving what it holds: a vector's
  // regrowth copied and faulted in megabytes inside the timed pull, on the
  // cores the server uses too.
  std::vector<std::deque<RowKey>> rows;
  std::vector<double> latencies;
  ConnectionTally tally;
};

// One request, timed with its simulated round trip.
tools::PgResult timed_request(tools::PgConnection &conn, int rtt_ms, const std::string &sql,
                              std::initializer_list<const char *> params, SharedProgress &progress,
                              Worker &w) {
  const auto start = Clock::now();
  simulate_round_trip(rtt_ms);
  tools::PgResult res = conn.exec(sql, params);
  const double ms = ms_since(start);
  w.latencies.push_back(ms);
  progress.record(ms);
  ++w.tally.requests;
  return res;
}

// Both walkers return the number of rows the range held.
long long walk_with_pull(tools::PgConnection &conn, const PullTarget &target, const KeyRange &range,
                         const std::atomic<bool> &stop, SharedProgress &progress, Worker &w) {
  const std::string limit = std::to_string(target.page_size);
  std::string cursor = range.after;
  long long rows = 0;
  bool has_more = true;
  while (has_more && !stop) {
    auto res =
        timed_request(conn, target.rtt_ms, "SELECT sync_pull($1, $2::uuid, NULL, $3, $4::int, $5)",
                      {target.table.c_str(), target.user_id.c_str(), or_null(cursor), limit.c_str(),
                       or_null(range.until)},
                      progress, w);
    Envelope page = read_envelope(res.value(0, 0));
    rows += static_cast<long long>(page.rows.size());
    // A page that claims more but does not move would loop forever.
    if (page.has_more && (page.rows.empty() || page.next_cursor == cursor))
      throw EnvelopeError("sync_pull said has_more but its cursor did not advance past " + cursor);
    cursor = page.next_cursor;
    has_more = page.has_more;
    auto &out = w.rows[range.target];
    std::move(page.rows.begin(), page.rows.end(), std::back_inserter(out));
  }
  return rows;
}

// The page functions have no has_more: a short page ends the range.
long long walk_with_pages(tools::PgConnection &conn, const PullTarget &target,
                          const KeyRange &range, const std::atomic<bool> &stop,
                          SharedProgress &progress, Worker &w) {
  const std::string sql =
      "SELECT * FROM sync_" + target.table +
      "s_page($1::uuid, NULL, $2::timestamptz, $3::uuid, $4::int, $5::timestamptz, $6::uuid)";
  const std::string limit = std::to_string(target.page_size);
  std::string ts = range.after_ts, id = range.after_id;
  long long rows = 0;
  bool full = true;
  while (full && !stop) {
    auto res = timed_request(conn, target.rtt_ms, sql,
                             {target.user_id.c_str(), or_null(ts), or_null(id), limit.c_str(),
                              or_null(range.until_ts), or_null(range.until_id)},
                             progress, w);
    const int id_col = PQfnumber(res.get(), "id");
    const int ts_col = PQfnumber(res.get(), "last_modified_at");
    if (id_col < 0 || ts_col < 0)
      throw tools::PgError(sql + ": result has no id or last_modified_at column");
    auto &out = w.rows[range.target];
    for (int r = 0; r < res.rows(); ++r) {
      // The envelope's JSON writes a timestamp with a T where the text
      // output has a space; the keys are compared in the JSON form.
      std::string key_ts(res.value(r, ts_col));
      if (const auto space = key_ts.find(' '); space != std::string::npos) key_ts[space] = 'T';
      out.push_back({std::string(res.value(r, id_col)), std::move(key_ts)});
    }
    rows += res.rows();
    full = res.rows() == target.page_size;
    if (res.rows() > 0) {
      ts = res.value(res.rows() - 1, ts_col);
      id = res.value(res.rows() - 1, id_col);
    }
  }
  return rows;
}

}  // namespace

ParallelPull pull_in_parallel(const std::vector<tools::PgConnection *> &connections,
                              const std::vector<PullTarget> &targets, int parts_per_connection,
                              SharedProgress &progress) {
  ParallelPull out;
  // Every target gets P x K parts, not a share of them: fetched together,
  // a small table's ranges then fill in after a big one's instead of
  // leaving the big table fewer, longer ranges.
  const int parts = static_cast<int>(connections.size()) * parts_per_connection;
  std::atomic<bool> stop{false};
  const auto start = Clock::now();

  // Read before the first request and after the last: the backends' CPU
  // while the user waits.
  const std::optional<CpuTime> server_before = backends_cpu(connections);
  std::vector<Worker> workers(connections.size(),
                              Worker{std::vector<std::deque<RowKey>>(targets.size()), {}, {}});

  std::vector<std::vector<KeyRange>> per_target(targets.size());
  if (parts == 1) {
    for (std::size_t t = 0; t < targets.size(); ++t)
      per_target[t] = {KeyRange{t, {}, {}, {}, {}, {}, {}, 0}};
  } else {
    // Target t's bounds on connection t mod P, so several tables cost one
    // round trip when there are enough connections.
    const std::size_t n = std::min(connections.size(), targets.size());
    on_threads(n, stop, [&](std::size_t c) {
      const CpuTime start_cpu = this_thread_cpu();
      for (std::size_t t = c; t < targets.size() && !stop; t += n)
        per_target[t] = partition(*connections[c], t, targets[t], parts);
      workers[c].tally.client += this_thread_cpu() - start_cpu;
    });
    out.bounds_ms = ms_since(start);
  }
  std::vector<KeyRange> ranges;
  for (auto &r : per_target) std::move(r.begin(), r.end(), std::back_inserter(ranges));
  out.ranges = static_cast<int>(ranges.size());
  std::vector<long long> estimates;
  for (const auto &r : ranges) estimates.push_back(r.estimated_rows);
  const std::vector<std::size_t> queue = largest_first(estimates);

  std::atomic<std::size_t> next{0};
  std::vector<long long> range_rows(ranges.size(), 0);
  on_threads(connections.size(), stop, [&](std::size_t c) {
    const CpuTime start_cpu = this_thread_cpu();
    for (std::size_t q = next++; q < queue.size() && !stop; q = next++) {
      const std::size_t i = queue[q];
      Worker &w = workers[c];
      ++w.tally.ranges;
      const PullTarget &target = targets[ranges[i].target];
      range_rows[i] = target.via == FetchVia::pull
                          ? walk_with_pull(*connections[c], target, ranges[i], stop, progress, w)
                          : walk_with_pages(*connections[c], target, ranges[i], stop, progress, w);
      w.tally.rows += range_rows[i];
    }
    workers[c].tally.client += this_thread_cpu() - start_cpu;
  });
  out.wall_ms = ms_since(start);
  if (const auto server_after = backends_cpu(connections); server_before && server_after)
    out.server_cpu = *server_after - *server_before;

  out.range_rows.resize(targets.size());
  for (std::size_t i = 0; i < ranges.size(); ++i)
    out.range_rows[ranges[i].target].push_back(range_rows[i]);

  out.rows.resize(targets.size());
  for (auto &w : workers) {
    for (std::size_t t = 0; t < targets.size(); ++t)
      std::move(w.rows[t].begin(), w.rows[t].end(), std::back_inserter(out.rows[t]));
    out.latencies.insert(out.latencies.end(), w.latencies.begin(), w.latencies.end());
    out.per_connection.push_back(w.tally);
    out.client_cpu += w.tally.client;
  }
  return out;
}

}  // namespace gs::bench
