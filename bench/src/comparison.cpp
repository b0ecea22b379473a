#include "comparison.hpp"

#include <cmath>
#include <cstdio>

#include "methods.hpp"
#include "progress.hpp"
#include "stats.hpp"
#include "text_table.hpp"

namespace gs::bench {

double MethodRuns::median_total_ms() const {
  std::vector<double> totals;
  for (const auto &r : runs) totals.push_back(r.total_ms);
  return median(totals);
}

std::vector<double> MethodRuns::all_latencies() const {
  std::vector<double> all;
  for (const auto &r : runs) all.insert(all.end(), r.latencies.begin(), r.latencies.end());
  return all;
}

const MethodRuns *Comparison::find(Method m) const {
  for (const auto &mr : methods)
    if (mr.method == m) return &mr;
  return nullptr;
}

long long Comparison::rows() const {
  for (const auto &mr : methods)
    if (!mr.stopped) return mr.runs.front().rows;
  return methods.front().runs.front().rows;
}

namespace {
// Keyset pages of tunes past the first carry a cursor, and with a cursor the
// contract includes deleted tunes (they tell an incremental client about the
// deletion); OFFSET pages and COPY never have one. So on a first-sync tune
// pull the keyset methods are checked against each other only.
bool keyset_tunes(const Comparison &c, Method m) {
  return c.table == Table::tunes && !c.after_timestamp && paging_of(m) == Paging::keyset;
}

void check_agreement(const Comparison &c) {
  for (const auto &mr : c.methods) {
    if (mr.stopped) continue;
    // The first finished method of mr's kind is the reference (mr itself, at worst).
    const MethodRuns *ref = &mr;
    for (const auto &other : c.methods)
      if (!other.stopped && keyset_tunes(c, other.method) == keyset_tunes(c, mr.method)) {
        ref = &other;
        break;
      }
    const PullResult &want = ref->runs.front();
    for (const auto &run : mr.runs)
      if (run.rows != want.rows || run.digest != want.digest)
        throw MismatchError(
            c.label + ": " + method_name(mr.method) + " returned " + std::to_string(run.rows) +
            " rows, " + method_name(ref->method) + " " + std::to_string(want.rows) +
            (run.rows == want.rows ? " (same count, different rows or order)" : ""));
  }
}

double median_of(const Comparison &c, Method m) {
  const MethodRuns *mr = c.find(m);
  return mr ? mr->median_total_ms() : std::nan("");
}

double ratio_to(const Comparison &c, const MethodRuns &mr, Method base) {
  return mr.median_total_ms() / median_of(c, base);
}
}  // namespace

void run_interleaved(tools::PgConnection &conn, std::vector<Comparison> &comparisons, int warmup,
                     int reps, int page_size, ProgressReporter &progress,
                     std::optional<double> peer_limit_ms) {
  ProgressReporter silent(0);
  for (int round = 0; round < warmup + reps; ++round)
    for (auto &c : comparisons)
      for (auto &mr : c.methods) {
        if (mr.stopped) continue;
        PullResult r = pull_all(conn, mr.method, c.table, *c.user, page_size, c.after_timestamp,
                                round < warmup ? silent : progress,
                                mr.method == Method::peer_keyset ? peer_limit_ms : std::nullopt);
        if (r.stopped) {
          // Even from a warmup round: the one figure this method will have.
          mr.stopped = true;
          mr.runs = {std::move(r)};
        } else if (round >= warmup) {
          mr.runs.push_back(std::move(r));
        }
      }
  for (const auto &c : comparisons) check_agreement(c);
}

void print_comparison(const Comparison &c) {
  std::printf("\n%s: %lld rows%s\n", c.label.c_str(), c.rows(),
              c.after_timestamp ? (" modified after " + *c.after_timestamp).c_str() : "");
  TextTable t({"method", "rows", "requests", "median ms", "x COPY", "x seed", "lat avg", "stddev",
               "p50", "p95", "p99"});
  for (const auto &mr : c.methods) {
    const Summary s = summarize(mr.all_latencies());
    const PullResult &first = mr.runs.front();
    t.add_row({method_name(mr.method), std::to_string(first.rows), std::to_string(first.requests),
               fixed(mr.median_total_ms(), 2), fixed(ratio_to(c, mr, Method::copy_floor), 2),
               fixed(ratio_to(c, mr, Method::seed_offset), 3), fixed(s.avg, 3), fixed(s.stddev, 3),
               fixed(s.p50, 3), fixed(s.p95, 3), fixed(s.p99, 3)});
  }
  std::fputs(t.render().c_str(), stdout);
  for (const auto &mr : c.methods)
    if (keyset_tunes(c, mr.method) && mr.runs.front().rows != c.rows()) {
      std::printf(
          "note: keyset tune pages after the first include deleted tunes (%lld more rows)\n",
          mr.runs.front().rows - c.rows());
      break;
    }
}

void write_comparison_json(JsonWriter &json, const Comparison &c) {
  json.begin_object()
      .key("user")
      .string(user_kind_name(c.user->kind))
      .key("table")
      .string(table_name(c.table))
      .key("rows")
      .integer(c.rows());
  json.key("after_timestamp");
  if (c.after_timestamp)
    json.string(*c.after_timestamp);
  else
    json.null();
  json.key("methods").begin_array();
  for (const auto &mr : c.methods) {
    const Summary s = summarize(mr.all_latencies());
    json.begin_object()
        .key("method")
        .string(method_name(mr.method))
        .key("rows")
        .integer(mr.runs.front().rows)
        .key("requests")
        .integer(mr.runs.front().requests)
        .key("median_total_ms")
        .number(mr.median_total_ms())
        .key("ratio_vs_copy")
        .number(ratio_to(c, mr, Method::copy_floor))
        .key("ratio_vs_seed")
        .number(ratio_to(c, mr, Method::seed_offset));
    json.key("total_ms").begin_array();
    for (const auto &r : mr.runs) json.number(r.total_ms);
    json.end_array();
    json.key("latency_ms")
        .begin_object()
        .key("count")
        .integer(static_cast<long long>(s.count))
        .key("avg")
        .number(s.avg)
        .key("stddev")
        .number(s.stddev)
        .key("p50")
        .number(s.p50)
        .key("p95")
        .number(s.p95)
        .key("p99")
        .number(s.p99)
        .end_object();
    json.end_object();
  }
  json.end_array().end_object();
}

void print_headline(const std::string &title, const std::vector<Comparison> &comparisons) {
  std::printf("\n%s\n", title.c_str());
  TextTable t({"user / table", "rows", "seed OFFSET", "ours keyset", "speedup", "ours drop-in",
               "speedup", "DBA keyset", "DBA / ours", "COPY floor", "ours / COPY"});
  for (const auto &c : comparisons) {
    const double seed = median_of(c, Method::seed_offset), ours = median_of(c, Method::ours_keyset),
                 dropin = median_of(c, Method::ours_offset),
                 peer = median_of(c, Method::peer_keyset), copy = median_of(c, Method::copy_floor);
    t.add_row({c.label, std::to_string(c.rows()), fixed(seed, 2), fixed(ours, 2),
               std::isnan(seed / ours) ? "-" : fixed(seed / ours, 2) + "x", fixed(dropin, 2),
               std::isnan(seed / dropin) ? "-" : fixed(seed / dropin, 2) + "x", fixed(peer, 2),
               fixed(peer / ours, 2), fixed(copy, 2), fixed(ours / copy, 2)});
  }
  std::fputs(t.render().c_str(), stdout);

  // sync_pull against the same rows as JSON text (issue 17's yardstick).
  bool envelopes = false;
  for (const auto &c : comparisons)
    for (const auto &mr : c.methods) envelopes |= mr.method == Method::ours_envelope;
  if (!envelopes) return;
  std::printf("\nsync_pull's envelopes against the page function's rows, median ms\n");
  TextTable e({"user / table", "rows", "ours keyset", "page as JSON", "envelope", "envelope / JSON",
               "envelope / keyset"});
  for (const auto &c : comparisons) {
    const double page = median_of(c, Method::ours_keyset),
                 json = median_of(c, Method::ours_page_json),
                 envelope = median_of(c, Method::ours_envelope);
    e.add_row({c.label, std::to_string(c.rows()), fixed(page, 2), fixed(json, 2),
               fixed(envelope, 2), fixed(envelope / json, 2), fixed(envelope / page, 2)});
  }
  std::fputs(e.render().c_str(), stdout);
}

Comparison make_comparison(std::string label, const BenchUser &user, Table t,
                           std::optional<std::string> after_timestamp,
                           const std::vector<Method> &chosen) {
  Comparison c{std::move(label), &user, t, std::move(after_timestamp), {}};
  for (Method m : methods_for(t, chosen))
    if (!(c.after_timestamp && m == Method::ours_envelope))  // a cursor, not a timestamp
      c.methods.push_back({m, {}});
  return c;
}

void run_and_report(tools::PgConnection &conn, const Options &o, const BenchContext &ctx,
                    std::vector<Comparison> &comparisons, const std::string &headline,
                    const std::function<void(JsonWriter &)> &extra_json) {
  ProgressReporter progress(o.progress_seconds);
  run_interleaved(conn, comparisons, o.warmup, o.reps, o.page_size, progress);
  if (!o.brief)
    for (const auto &c : comparisons) print_comparison(c);
  print_headline(headline, comparisons);

  if (o.json_path.empty()) return;
  JsonWriter json;
  json.begin_object();
  write_context_json(json, o, ctx);
  if (extra_json) extra_json(json);
  json.key("results").begin_array();
  for (const auto &c : comparisons) write_comparison_json(json, c);
  json.end_array().end_object();
  write_file(o.json_path, json.str() + "\n");
}

}  // namespace gs::bench
