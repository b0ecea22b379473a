// genre-sync-bench parallel: the issue's question "how long does the user
// wait for a first sync when every request crosses a network", answered for
// P = 1, 2, 4, ... connections fetching disjoint key ranges at once.
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <map>

#include "bench_context.hpp"
#include "commands.hpp"
#include "comparison.hpp"
#include "parallel_fetch.hpp"
#include "parallel_ranges.hpp"
#include "row_set_check.hpp"
#include "stats.hpp"
#include "text_table.hpp"

namespace gs::bench {

namespace {

struct ParallelUser {
  UserKind kind;
  std::string id;
  int genre_count = 0;
};

ParallelUser find_user(tools::PgConnection &conn, UserKind kind, const Options &o) {
  ParallelUser u{kind, kind == UserKind::two_genre ? o.two_genre_user_id : o.all_genre_user_id, 0};
  if (u.id.empty()) {
    const std::string name = std::string(user_kind_name(kind)) + "-user";
    auto res = conn.exec("SELECT id FROM user_profile WHERE name = $1", {name.c_str()});
    if (res.rows() != 1)
      throw std::runtime_error("expected one user_profile named " + name + ", found " +
                               std::to_string(res.rows()) +
                               " (generate the data with genre-sync-datagen, or pass --" +
                               user_kind_name(kind) + "-user)");
    u.id = res.value(0, 0);
  }
  auto g = conn.exec("SELECT cardinality(sync_get_effective_genres($1::uuid))", {u.id.c_str()});
  u.genre_count = std::stoi(std::string(g.value(0, 0)));
  return u;
}

// Connection i goes to the (i mod n)-th -d; without -d, to libpq's default.
std::vector<tools::PgConnection> open_connections(const Options &o, int count) {
  std::vector<tools::PgConnection> conns;
  for (int i = 0; i < count; ++i) {
    tools::ConnectionOptions c = o.connection;
    if (!o.dbnames.empty()) c.dbname = o.dbnames[static_cast<std::size_t>(i) % o.dbnames.size()];
    conns.push_back(tools::PgConnection::open(c, "genre-sync-bench parallel"));
    // The page walker passes each page's last last_modified_at back as
    // it reads it, which the session reads as its own wall clock; the
    // page functions compare that instant in genre_sync.stamp_time_zone
    // (UTC): a UTC session makes it the row's own value (sync_pull's text
    // cursors need no TimeZone).
    conns.back().exec("SET TimeZone = 'UTC'");
  }
  return conns;
}

// Every measured run of one job at one connection count.
struct Series {
  long long rows = 0;
  std::vector<double> walls, bounds, requests, max_requests;
  std::vector<double> balance;  // per run with ranges: the most uneven table's max/min rows a range
  std::vector<double> latencies;
  // Per run, all NaN when the backends are not processes of this machine.
  std::vector<double> client_cpu, server_cpu, runnable;
};

// One table of one user, and the rows its sequential pull returned.
struct Target {
  std::string label;
  Table table;
  PullTarget pull;
  std::vector<RowKey> expected;
  std::uint64_t digest = 0;
};

// What is measured as one run: one target, or with --together all of them.
struct Job {
  std::string label;
  std::vector<std::size_t> targets;
  long long rows = 0;
  std::map<int, Series> by_clients;
};

std::string hex_digest(std::uint64_t d) {
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, d);
  return text;
}

double rows_per_s(long long rows, double ms) {
  return ms > 0 ? static_cast<double>(rows) * 1000.0 / ms : NAN;
}

void record(Series &s, const ParallelPull &p) {
  s.rows = 0;
  for (const auto &r : p.rows) s.rows += static_cast<long long>(r.size());
  s.walls.push_back(p.wall_ms);
  s.bounds.push_back(p.bounds_ms);
  int total = 0, most = 0;
  for (const auto &c : p.per_connection) {
    total += c.requests;
    most = std::max(most, c.requests);
  }
  s.requests.push_back(total);
  s.max_requests.push_back(most);
  double worst = NAN;
  for (const auto &r : p.range_rows) {
    const double b = max_over_min(r);
    if (std::isnan(worst) || b > worst) worst = b;
  }
  if (!std::isnan(worst)) s.balance.push_back(worst);
  s.client_cpu.push_back(p.server_cpu ? p.client_cpu.on_cpu_ms : NAN);
  s.server_cpu.push_back(p.server_cpu ? p.server_cpu->on_cpu_ms : NAN);
  s.runnable.push_back(p.server_cpu ? p.client_cpu.runnable_ms + p.server_cpu->runnable_ms : NAN);
  s.latencies.insert(s.latencies.end(), p.latencies.begin(), p.latencies.end());
}

// host:port/dbname as libpq connected, never the conninfo (it may hold a password).
std::vector<std::string> host_names(const Options &o,
                                    const std::vector<tools::PgConnection> &conns) {
  std::vector<std::string> out;
  for (std::size_t h = 0; h < std::max<std::size_t>(1, o.dbnames.size()) && h < conns.size(); ++h) {
    PGconn *c = conns[h].get();
    out.push_back(std::string(PQhost(c)) + ":" + PQport(c) + "/" + PQdb(c));
  }
  return out;
}

void print_header(const Options &o, const std::vector<std::string> &hosts,
                  const std::vector<ParallelUser> &users, long long tunes, int scale,
                  bool inferred) {
  std::printf("genre-sync-bench parallel\n");
  std::printf("scale factor: %d%s (%lld tunes)\n", scale, inferred ? " (inferred)" : "", tunes);
  std::printf("page size: %d\n", o.page_size);
  if (o.rtt_ms > 0)
    std::printf(
        "network round trip: %d ms per request, SIMULATED (the client sleeps before each "
        "request)\n",
        o.rtt_ms);
  else
    std::printf("network round trip: none simulated\n");
  std::printf(
      "ranges: sync_partition_bounds(p_parts = P x %d), one request a table, neighbouring parts "
      "that\n"
      "  fit in one page merged; each connection (one thread) takes the next range, largest\n"
      "  estimate first, and walks it %s;\n"
      "  one part is one open range and no bounds request: at P=1 the plain sequential pull\n",
      o.parts_per_connection,
      o.via_pages ? "with the page functions (sync_notes_page ...) until a short page"
                  : "with sync_pull(cursor, until) until has_more is false");
  std::printf(
      "checked against: one sequential sync_pull pull per table, untimed, no simulated delay\n");
  if (o.together)
    std::printf(
        "tables: fetched together, one run per P (bounds requests at once, one queue of ranges)\n");
  std::printf("host%s:\n", hosts.size() > 1 ? "s (connections round-robin)" : "");
  for (std::size_t h = 0; h < hosts.size(); ++h) std::printf("  %zu: %s\n", h, hosts[h].c_str());
  std::printf(
      "repetitions: %d, interleaved over P, after %d untimed warm-up round(s); wall times are "
      "medians\n",
      o.reps, o.warmup);
  for (const auto &u : users)
    std::printf("user %s: %s, %d effective genres\n", user_kind_name(u.kind), u.id.c_str(),
                u.genre_count);
  std::fflush(stdout);
}

std::string speedup_text(double v) { return std::isnan(v) ? "-" : fixed(v, 2) + "x"; }

void print_job(const Job &r, const std::vector<int> &clients) {
  std::printf("\n%s: %lld rows\n", r.label.c_str(), r.rows);
  TextTable t({"P", "rows", "requests", "max req/conn", "part max/min", "bounds ms", "wall ms",
               "rows/s", "speedup", "lat p50", "p95", "p99"});
  const double base = rows_per_s(r.rows, median(r.by_clients.at(clients.front()).walls));
  for (int p : clients) {
    const Series &s = r.by_clients.at(p);
    const Summary lat = summarize(s.latencies);
    const double rate = rows_per_s(s.rows, median(s.walls));
    const double balance = median(s.balance);
    t.add_row({std::to_string(p), std::to_string(s.rows), fixed(median(s.requests), 0),
               fixed(median(s.max_requests), 0), std::isnan(balance) ? "-" : fixed(balance, 2),
               fixed(median(s.bounds), 2), fixed(median(s.walls), 2), fixed(rate, 0),
               speedup_text(rate / base), fixed(lat.p50, 3), fixed(lat.p95, 3), fixed(lat.p99, 3)});
  }
  std::fputs(t.render().c_str(), stdout);
}

// Where the CPU of each P's runs went (medians over the runs), client and
// server on the same cores: the speedup over P=1 is the ratio of the cores
// kept busy times the inverse ratio of what a row cost them.
void print_cpu(const Job &r, const std::vector<int> &clients) {
  std::printf(
      "\n%s: CPU of the bench's threads and the server's backends (this machine's), medians\n",
      r.label.c_str());
  TextTable t({"P", "client cpu ms", "server cpu ms", "runnable ms", "cores busy", "cpu us/row"});
  for (int p : clients) {
    const Series &s = r.by_clients.at(p);
    const double client = median(s.client_cpu), server = median(s.server_cpu);
    const double cpu = client + server;
    t.add_row({std::to_string(p), fixed(client, 1), fixed(server, 1), fixed(median(s.runnable), 1),
               fixed(cpu / median(s.walls), 2),
               fixed(cpu * 1000.0 / static_cast<double>(s.rows), 2)});
  }
  std::fputs(t.render().c_str(), stdout);
}

// The user's wait for every table, fetched one table after the other.
void print_totals(const std::vector<Job> &results, const std::vector<int> &clients) {
  std::printf("\nall tables, one after the other (sum of the median wall times)\n");
  TextTable t({"P", "rows", "wall ms", "rows/s", "speedup"});
  double base = NAN;
  for (int p : clients) {
    long long rows = 0;
    double ms = 0;
    for (const auto &r : results) {
      rows += r.rows;
      ms += median(r.by_clients.at(p).walls);
    }
    const double rate = rows_per_s(rows, ms);
    if (std::isnan(base)) base = rate;
    t.add_row({std::to_string(p), std::to_string(rows), fixed(ms, 2), fixed(rate, 0),
               speedup_text(rate / base)});
  }
  std::fputs(t.render().c_str(), stdout);
}

void write_json(const Options &o, const std::vector<std::string> &hosts,
                const std::vector<ParallelUser> &users, long long tunes, int scale,
                const std::vector<Target> &targets, const std::vector<Job> &results) {
  JsonWriter json;
  json.begin_object()
      .key("command")
      .string("parallel")
      .key("scale")
      .integer(scale)
      .key("tunes")
      .integer(tunes)
      .key("page_size")
      .integer(o.page_size)
      .key("rtt_ms")
      .integer(o.rtt_ms)
      .key("rtt_simulated")
      .boolean(o.rtt_ms > 0)
      .key("parts_per_connection")
      .integer(o.parts_per_connection)
      .key("via")
      .string(o.via_pages ? "pages" : "pull")
      .key("together")
      .boolean(o.together)
      .key("reps")
      .integer(o.reps)
      .key("warmup")
      .integer(o.warmup);
  json.key("hosts").begin_array();
  for (const auto &h : hosts) json.string(h);
  json.end_array();
  json.key("users").begin_array();
  for (const auto &u : users)
    json.begin_object()
        .key("kind")
        .string(user_kind_name(u.kind))
        .key("id")
        .string(u.id)
        .key("genre_count")
        .integer(u.genre_count)
        .end_object();
  json.end_array();
  json.key("sequential_pulls").begin_array();
  for (const auto &t : targets)
    json.begin_object()
        .key("label")
        .string(t.label)
        .key("table")
        .string(table_name(t.table))
        .key("rows")
        .integer(static_cast<long long>(t.expected.size()))
        .key("digest")
        .string(hex_digest(t.digest))
        .end_object();
  json.end_array();
  json.key("results").begin_array();
  for (const auto &r : results) {
    const double base = rows_per_s(r.rows, median(r.by_clients.at(o.clients.front()).walls));
    json.begin_object().key("label").string(r.label).key("rows").integer(r.rows);
    json.key("runs").begin_array();
    for (int p : o.clients) {
      const Series &s = r.by_clients.at(p);
      const Summary lat = summarize(s.latencies);
      const double rate = rows_per_s(s.rows, median(s.walls));
      json.begin_object()
          .key("connections")
          .integer(p)
          .key("rows")
          .integer(s.rows)
          .key("wall_ms_median")
          .number(median(s.walls))
          .key("rows_per_s")
          .number(rate)
          .key("speedup")
          .number(rate / base)
          .key("requests_median")
          .number(median(s.requests))
          .key("max_requests_per_connection_median")
          .number(median(s.max_requests))
          .key("bounds_ms_median")
          .number(median(s.bounds))
          .key("part_max_over_min_median")
          .number(median(s.balance))
          .key("client_cpu_ms_median")
          .number(median(s.client_cpu))
          .key("server_cpu_ms_median")
          .number(median(s.server_cpu))
          .key("runnable_ms_median")
          .number(median(s.runnable));
      json.key("wall_ms").begin_array();
      for (double w : s.walls) json.number(w);
      json.end_array();
      json.key("latency_ms")
          .begin_object()
          .key("count")
          .integer(static_cast<long long>(lat.count))
          .key("avg")
          .number(lat.avg)
          .key("stddev")
          .number(lat.stddev)
          .key("p50")
          .number(lat.p50)
          .key("p95")
          .number(lat.p95)
          .key("p99")
          .number(lat.p99)
          .end_object();
      json.end_object();
    }
    json.end_array().end_object();
  }
  json.end_array().end_object();
  write_file(o.json_path, json.str() + "\n");
}

}  // namespace

int run_parallel(const Options &o) {
  const int most = *std::max_element(o.clients.begin(), o.clients.end());
  std::vector<tools::PgConnection> conns = open_connections(o, most);
  tools::PgConnection &first = conns.front();

  const long long tunes =
      std::stoll(std::string(first.exec("SELECT count(*) FROM tune").value(0, 0)));
  const bool inferred = !o.scale;
  const int scale = o.scale ? *o.scale
                            : std::max(1, static_cast<int>(std::lround(static_cast<double>(tunes) /
                                                                       kTunesAtScaleOne)));
  std::vector<ParallelUser> users;
  for (UserKind k : users_for(o)) users.push_back(find_user(first, k, o));
  const std::vector<std::string> hosts = host_names(o, conns);
  print_header(o, hosts, users, tunes, scale, inferred);

  SharedProgress progress(o.progress_seconds);
  std::vector<Target> targets;
  for (const auto &u : users)
    for (Table t : tables_for(o)) {
      Target target{std::string(user_kind_name(u.kind)) + " " + table_name(t),
                    t,
                    PullTarget{sync_table_name(t), u.id, o.page_size, 0},
                    {},
                    0};
      // The reference: one connection, no bounds, no simulated delay.
      ParallelPull seq = pull_in_parallel({&first}, {target.pull}, 1, progress);
      target.expected = std::move(seq.rows.front());
      if (target.expected.empty())
        throw std::runtime_error(target.label +
                                 ": the sequential pull returned no rows (on a standby: has "
                                 "the primary run sync_publish_horizon()?)");
      target.digest = row_set_digest(target.expected);
      target.pull.rtt_ms = o.rtt_ms;
      target.pull.via = o.via_pages ? FetchVia::pages : FetchVia::pull;
      std::printf("%s: %zu rows, order-independent digest %s (sequential pull)\n",
                  target.label.c_str(), target.expected.size(), hex_digest(target.digest).c_str());
      targets.push_back(std::move(target));
    }

  std::vector<Job> jobs;
  if (o.together) {
    Job all{"all tables together", {}, 0, {}};
    for (std::size_t i = 0; i < targets.size(); ++i) all.targets.push_back(i);
    jobs.push_back(std::move(all));
  } else {
    for (std::size_t i = 0; i < targets.size(); ++i) jobs.push_back({targets[i].label, {i}, 0, {}});
  }
  for (auto &j : jobs)
    for (std::size_t i : j.targets) j.rows += static_cast<long long>(targets[i].expected.size());

  for (int round = -o.warmup; round < o.reps; ++round)
    for (int p : o.clients)
      for (auto &job : jobs) {
        std::vector<tools::PgConnection *> use;
        for (int c = 0; c < p; ++c) use.push_back(&conns[static_cast<std::size_t>(c)]);
        std::vector<PullTarget> pulls;
        for (std::size_t i : job.targets) pulls.push_back(targets[i].pull);
        ParallelPull run = pull_in_parallel(use, pulls, o.parts_per_connection, progress);
        for (std::size_t k = 0; k < job.targets.size(); ++k) {
          const Target &t = targets[job.targets[k]];
          const std::string diff = row_set_difference(t.expected, run.rows[k]);
          if (!diff.empty())
            throw MismatchError(t.label + " with " + std::to_string(p) +
                                " connection(s) differs from the sequential pull: " + diff);
        }
        if (round >= 0) record(job.by_clients[p], run);
      }
  std::printf(
      "every run returned exactly the rows of the sequential pull (same ids and last_modified_at, "
      "each once)\n");

  // With several hosts some backends may be elsewhere: then no P is shown.
  bool local = true;
  for (const auto &j : jobs)
    for (const auto &[p, series] : j.by_clients)
      for (double v : series.server_cpu) local = local && !std::isnan(v);
  for (const auto &j : jobs) {
    print_job(j, o.clients);
    if (local) print_cpu(j, o.clients);
  }
  if (jobs.size() > 1) print_totals(jobs, o.clients);
  std::printf(
      "\nspeedup: rows/s over rows/s at P=%d; latency columns in ms over every page request%s;\n"
      "part max/min: rows of the largest range over the smallest's, of the most uneven table\n",
      o.clients.front(), o.rtt_ms > 0 ? ", simulated round trip included" : "");
  if (local)
    std::printf(
        "cpu (kernel schedstat, per run from the first request to the last row): client = the "
        "bench's\n"
        "  threads, server = the backends; runnable = both, ready but waiting for a core; cores "
        "busy =\n"
        "  (client + server) / median wall; cpu us/row = (client + server) / rows\n");
  else
    std::printf("cpu: not shown, the server's backends are not processes of this machine\n");
  if (!o.json_path.empty()) write_json(o, hosts, users, tunes, scale, targets, jobs);
  return 0;
}

}  // namespace gs::bench
