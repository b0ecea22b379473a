#pragma once
// The core of `pull` and `incremental`: every method pulls the same user's
// rows for one table, repetitions interleaved (A,B,C,.. A,B,C,..) so drift
// in the machine hits all methods alike; the results must agree row for row.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bench_context.hpp"
#include "full_pull.hpp"
#include "json_writer.hpp"

namespace gs::bench {

struct MethodRuns {
  Method method;
  std::vector<PullResult> runs;  // one per repetition
  // A pull ran out of its time limit: runs holds only that pull (its time a
  // lower bound, its rows partial) and later rounds skip the method.
  bool stopped = false;

  double median_total_ms() const;
  std::vector<double> all_latencies() const;
};

struct Comparison {
  std::string label;  // e.g. "two-genre user, notes"
  const BenchUser *user;
  Table table;
  std::optional<std::string> after_timestamp;  // set: an incremental pull
  std::vector<MethodRuns> methods;

  const MethodRuns *find(Method m) const;
  // The rows of the first method that was not stopped.
  long long rows() const;
};

// A comparison of the chosen methods (all when none) that serve table t.
Comparison make_comparison(std::string label, const BenchUser &user, Table t,
                           std::optional<std::string> after_timestamp,
                           const std::vector<Method> &chosen);

// A method returned other rows than the others: a correctness bug, not noise.
struct MismatchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Runs `warmup` untimed rounds, then `reps` measured rounds over all
// comparisons and all their methods, then checks every run returned the same
// rows in the same order (throws MismatchError). peer_limit_ms bounds each
// DBA keyset pull (see MethodRuns::stopped); stopped pulls are not checked.
void run_interleaved(tools::PgConnection &conn, std::vector<Comparison> &comparisons, int warmup,
                     int reps, int page_size, ProgressReporter &progress,
                     std::optional<double> peer_limit_ms = std::nullopt);

// The per-method table: rows, requests, median total, ratios, latency.
void print_comparison(const Comparison &c);
void write_comparison_json(JsonWriter &json, const Comparison &c);

// One line per comparison: the seed's OFFSET pull against ours, with the
// DBA's keyset and the COPY floor for scale.
void print_headline(const std::string &title, const std::vector<Comparison> &comparisons);

// What `pull` and `incremental` do with their comparisons: run them
// interleaved with -P progress, print them (all but the headline with
// --brief), and write --json with the context, any extra fields, and results.
void run_and_report(tools::PgConnection &conn, const Options &o, const BenchContext &ctx,
                    std::vector<Comparison> &comparisons, const std::string &headline,
                    const std::function<void(JsonWriter &)> &extra_json = {});

}  // namespace gs::bench
