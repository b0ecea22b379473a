// paths: one run that says, per database (each a physical layout) and per
// path a caller takes (the default path without the key index, the key
// index on, a role under row-level security), how our pages compare with
// the DBA's plain-SQL keyset and the COPY floor for both users and all
// tables, and what a single call costs against a plain SELECT.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "bench_context.hpp"
#include "call_cost.hpp"
#include "commands.hpp"
#include "comparison.hpp"
#include "layout.hpp"
#include "methods.hpp"
#include "progress.hpp"
#include "text_table.hpp"

namespace gs::bench {

namespace {

// The role bench/sql/rls_caller.sql creates: an app's signed-in user.
constexpr const char *kRlsRole = "gs_bench_rls";

const char *path_name(Path p) {
  switch (p) {
    case Path::default_path: return "default";
    case Path::key_index: return "key index";
    case Path::rls: return "RLS caller";
  }
  return "?";
}

struct PathRun {
  Path path;
  bool key_index = false;
  std::vector<Comparison> comparisons;
  std::vector<CallCost> call_costs;
};

struct LayoutRun {
  std::string dbname;
  Layout layout;
  BenchContext ctx;
  std::vector<PathRun> paths;
};

void set_key_index(tools::PgConnection &conn, bool on) {
  if (on) {
    conn.exec("SELECT count(*) FROM sync_enable_key_index()");
    // Index-only scans of the key tables need their visibility map.
    conn.exec("VACUUM ANALYZE sync_key_note, sync_key_reference");
  } else {
    conn.exec("SELECT sync_disable_key_index()");
  }
}

tools::PgConnection open_rls_connection(const Options &o) {
  auto conn = open_bench_connection(o);
  // The role is the cluster's, its grants and policies each database's.
  if (conn.exec("SELECT FROM pg_policies WHERE schemaname = 'public' AND tablename = 'note' "
                "AND $1::name = ANY (roles)",
                {kRlsRole})
          .rows() == 0)
    throw std::runtime_error(std::string("the rls path needs role ") + kRlsRole +
                             " and its policies: run bench/sql/rls_caller.sql in the database "
                             "first");
  conn.exec(std::string("SET ROLE ") + kRlsRole);
  return conn;
}

// The request's JWT claims as PostgREST sets them: the policies' auth.uid()
// and the extension's caller check both read "sub".
void act_as(tools::PgConnection &conn, const BenchUser &user) {
  conn.exec(
      "SELECT set_config('request.jwt.claims', json_build_object('sub', $1::text, 'role', "
      "'authenticated')::text, false)",
      {user.id.c_str()});
}

std::vector<Method> path_methods(const Options &o) {
  std::vector<Method> out;
  for (Method m : {Method::peer_keyset, Method::ours_keyset, Method::copy_floor})
    if (o.methods.empty() || std::find(o.methods.begin(), o.methods.end(), m) != o.methods.end())
      out.push_back(m);
  return out;
}

std::string label_of(const BenchUser &u, Table t) {
  return std::string(user_kind_name(u.kind)) + " " + table_name(t);
}

double median_or_nan(const Comparison &c, Method m) {
  const MethodRuns *mr = c.find(m);
  return mr ? mr->median_total_ms() : std::nan("");
}

// The DBA keyset ran out of --peer-limit: its time is a lower bound.
bool peer_stopped(const Comparison &c) {
  const MethodRuns *mr = c.find(Method::peer_keyset);
  return mr && mr->stopped;
}

std::optional<double> peer_limit_ms(const Options &o) {
  if (!o.peer_limit_seconds) return std::nullopt;
  return *o.peer_limit_seconds * 1000;
}

// --peer-limit as given: 60, 0.5.
std::string limit_text(const Options &o) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", o.peer_limit_seconds.value_or(0));
  return buf;
}

void measure_layout(const Options &o, LayoutRun &run) {
  auto conn = open_bench_connection(o);
  run.ctx = load_context(conn, o);
  run.layout = read_layout(conn);
  std::printf("\ndatabase %s: layout %s (pg_stats correlation of last_modified_at: %s)\n",
              run.dbname.c_str(), run.layout.name.c_str(), correlations_text(run.layout).c_str());
  std::fflush(stdout);

  std::vector<std::vector<CallPositions>> positions;  // [user][table]
  for (const auto &user : run.ctx.users) {
    positions.emplace_back();
    for (Table t : tables_for(o)) positions.back().push_back(find_call_positions(conn, t, user));
  }

  const bool key_index_at_start = run.ctx.key_index;
  bool key_index = key_index_at_start;
  ProgressReporter progress(o.progress_seconds);
  for (Path path : o.paths) {
    const bool want_key_index = path != Path::default_path;
    if (want_key_index != key_index) set_key_index(conn, want_key_index);
    key_index = want_key_index;
    std::optional<tools::PgConnection> rls;
    if (path == Path::rls) rls.emplace(open_rls_connection(o));
    tools::PgConnection &caller = rls ? *rls : conn;

    PathRun pr{path, key_index, {}, {}};
    for (std::size_t u = 0; u < run.ctx.users.size(); ++u) {
      const BenchUser &user = run.ctx.users[u];
      if (rls) act_as(caller, user);
      std::vector<Comparison> comparisons;
      for (Table t : tables_for(o))
        comparisons.push_back(
            make_comparison(label_of(user, t), user, t, std::nullopt, path_methods(o)));
      run_interleaved(caller, comparisons, o.warmup, o.reps, o.page_size, progress,
                      peer_limit_ms(o));
      for (auto &c : comparisons) pr.comparisons.push_back(std::move(c));
      const auto tables = tables_for(o);
      for (std::size_t ti = 0; ti < tables.size(); ++ti) {
        if (!positions[u][ti].usable) continue;
        for (CallKind kind : {CallKind::empty, CallKind::ten_rows})
          pr.call_costs.push_back(measure_call_cost(caller, positions[u][ti], tables[ti], user,
                                                    kind, o.page_size, o.calls));
      }
    }
    run.paths.push_back(std::move(pr));
  }
  if (key_index != key_index_at_start) set_key_index(conn, key_index_at_start);
}

void print_pulls(const Options &o, const LayoutRun &run, std::vector<std::string> &slower,
                 std::vector<std::string> &stopped) {
  std::printf("\nfull pull, median ms of the whole pull (page size as above)\n");
  TextTable t({"layout", "path", "user / table", "rows", "ours", "DBA keyset", "COPY floor",
               "ours / DBA", "ours / COPY"});
  for (const auto &pr : run.paths)
    for (const auto &c : pr.comparisons) {
      const double ours = median_or_nan(c, Method::ours_keyset),
                   peer = median_or_nan(c, Method::peer_keyset),
                   copy = median_or_nan(c, Method::copy_floor);
      const bool is_stopped = peer_stopped(c);
      const bool is_slower = !is_stopped && ours / peer > 1.0;
      const std::string where = run.layout.name + " / " + path_name(pr.path) + " / " + c.label;
      t.add_row({run.layout.name, path_name(pr.path), c.label, std::to_string(c.rows()),
                 fixed(ours, 2), is_stopped ? "> " + limit_text(o) + " s, stopped" : fixed(peer, 2),
                 fixed(copy, 2),
                 is_stopped ? "< " + fixed(ours / peer, 3)
                            : fixed(ours / peer, 2) + (is_slower ? " >" : "  "),
                 fixed(ours / copy, 2)});
      if (is_stopped) stopped.push_back(where);
      if (is_slower) slower.push_back(where + " (full pull " + fixed(ours / peer, 2) + ")");
    }
  std::fputs(t.render().c_str(), stdout);
}

void print_call_costs(const LayoutRun &run) {
  std::printf(
      "\nper-call cost, median ms of one call, each a prepared statement (sync_pull: p_genre_ids\n"
      "NULL, a v2 cursor; plain SELECT: the same rows by the same index, the floor for a call)\n");
  TextTable t({"layout", "path", "user / table", "call", "rows", "plain SELECT", "page fn",
               "sync_pull", "page / SELECT", "pull / SELECT"});
  for (const auto &pr : run.paths)
    for (const auto &cc : pr.call_costs) {
      const double select = cc.median_ms(CallMethod::plain_select),
                   page = cc.median_ms(CallMethod::page_function),
                   pull = cc.median_ms(CallMethod::sync_pull);
      t.add_row({run.layout.name, path_name(pr.path), label_of(*cc.user, cc.table),
                 call_kind_name(cc.kind),
                 std::to_string(cc.rows[static_cast<int>(CallMethod::page_function)]),
                 fixed(select, 3), fixed(page, 3), fixed(pull, 3), fixed(page / select, 2),
                 fixed(pull / select, 2)});
    }
  std::fputs(t.render().c_str(), stdout);
}

void write_json(const Options &o, const std::vector<LayoutRun> &runs) {
  JsonWriter json;
  json.begin_object();
  write_context_json(json, o, runs.front().ctx);
  json.key("calls").integer(o.calls);
  json.key("layouts").begin_array();
  for (const auto &run : runs) {
    json.begin_object().key("database").string(run.dbname).key("layout").string(run.layout.name);
    json.key("correlations").begin_object();
    for (const auto &c : run.layout.correlations) {
      json.key(c.table);
      if (c.correlation)
        json.number(*c.correlation);
      else
        json.null();
    }
    json.end_object();
    json.key("paths").begin_array();
    for (const auto &pr : run.paths) {
      json.begin_object()
          .key("path")
          .string(path_option_name(pr.path))
          .key("key_index")
          .boolean(pr.key_index)
          .key("role")
          .string(pr.path == Path::rls ? kRlsRole : "the bench's own");
      json.key("pulls").begin_array();
      for (const auto &c : pr.comparisons) {
        const double ours = median_or_nan(c, Method::ours_keyset),
                     peer = median_or_nan(c, Method::peer_keyset),
                     copy = median_or_nan(c, Method::copy_floor);
        json.begin_object()
            .key("ours_ms")
            .number(ours)
            .key("peer_ms")
            .number(peer)
            .key("copy_ms")
            .number(copy)
            .key("peer_stopped")
            .boolean(peer_stopped(c))
            .key("ours_vs_peer")
            .number(ours / peer)
            .key("ours_vs_copy")
            .number(ours / copy)
            .key("comparison");
        write_comparison_json(json, c);
        json.end_object();
      }
      json.end_array();
      json.key("call_cost").begin_array();
      for (const auto &cc : pr.call_costs) {
        json.begin_object()
            .key("user")
            .string(user_kind_name(cc.user->kind))
            .key("table")
            .string(table_name(cc.table))
            .key("call")
            .string(cc.kind == CallKind::empty ? "empty" : "ten_rows");
        const double select = cc.median_ms(CallMethod::plain_select);
        for (CallMethod m : kCallMethods) {
          const int i = static_cast<int>(m);
          const char *k = m == CallMethod::plain_select    ? "plain_select"
                          : m == CallMethod::page_function ? "page_function"
                                                           : "sync_pull";
          json.key(k)
              .begin_object()
              .key("rows")
              .integer(cc.rows[i])
              .key("median_ms")
              .number(cc.median_ms(m))
              .key("ratio_vs_select")
              .number(cc.median_ms(m) / select)
              .end_object();
        }
        json.end_object();
      }
      json.end_array().end_object();
    }
    json.end_array().end_object();
  }
  json.end_array().end_object();
  write_file(o.json_path, json.str() + "\n");
}

}  // namespace

int run_paths(const Options &o) {
  std::vector<std::string> dbnames = o.dbnames;
  if (dbnames.empty()) dbnames.push_back(o.connection.dbname);
  std::vector<LayoutRun> runs;
  std::vector<std::string> slower, stopped;
  for (const auto &db : dbnames) {
    Options one = o;
    one.connection.dbname = db;
    LayoutRun run;
    run.dbname = db.empty() ? "(default database)" : db;
    if (runs.empty()) {
      auto conn = open_bench_connection(one);
      print_context_header(one, load_context(conn, one));
      std::printf("paths:");
      for (Path p : o.paths) std::printf(" %s", path_name(p));
      std::printf("; per-call cost: %d calls each, interleaved, medians\n", o.calls);
      if (o.peer_limit_seconds)
        std::printf("DBA keyset pulls stopped after %s s (--peer-limit)\n", limit_text(o).c_str());
    }
    measure_layout(one, run);
    // Each layout's tables as soon as it is measured: a long run keeps them.
    print_pulls(o, run, slower, stopped);
    print_call_costs(run);
    std::fflush(stdout);
    runs.push_back(std::move(run));
  }
  std::printf("\nours / DBA keyset > 1.0 (ours slower) in %zu of the full pulls%s\n", slower.size(),
              slower.empty() ? "" : ":");
  for (const auto &line : slower) std::printf("  %s\n", line.c_str());
  if (!stopped.empty()) {
    std::printf("DBA keyset stopped at --peer-limit (ours / DBA an upper bound) in %zu:\n",
                stopped.size());
    for (const auto &line : stopped) std::printf("  %s\n", line.c_str());
  }
  if (!o.json_path.empty()) write_json(o, runs);
  return 0;
}

}  // namespace gs::bench
