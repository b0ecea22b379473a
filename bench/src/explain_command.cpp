#include <cstdio>
#include <set>

#include "bench_context.hpp"
#include "commands.hpp"
#include "plan_summary.hpp"
#include "result_keys.hpp"
#include "text_table.hpp"

namespace gs::bench {

namespace {
// The seed plan's Phase 1 indexes as bench/sql/seed_indexes.sql names them:
// the "before" phase keeps these (and the constraint indexes) only.
const char *const kSeedIndexes =
    "'idx_tune_genre', 'idx_playlist_tune_composite', 'idx_user_genre_selection_user', "
    "'idx_user_genre_selection_genre', 'idx_note_last_modified_at'";

// Tables with at least this many rows are "large": a Seq Scan there is flagged.
constexpr double kLargeTableRows = 10000;

const Method kExplainMethods[] = {Method::seed_offset, Method::ours_offset, Method::peer_keyset,
                                  Method::ours_keyset};

struct Explained {
  std::string phase, target, query;
  Method method;
  long long rows;
  double ms;
  PlanSummary plan;  // every plan of the call, top level last
  std::vector<std::string> flags;
  std::string plan_text;
};

// auto_explain reports each statement a call runs, nested ones too (the
// seed's SQL function body, our functions' SPI queries), as a LOG message
// that client_min_messages = log sends to us as a notice.
void collect_notice(void *arg, const PGresult *res) {
  const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  if (msg && std::string_view(msg).rfind("duration: ", 0) == 0)
    static_cast<std::vector<std::string> *>(arg)->push_back(msg);
}

void enable_auto_explain(tools::PgConnection &conn) {
  conn.exec("LOAD 'auto_explain'");
  conn.exec(
      "SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on; "
      "SET auto_explain.log_buffers = on; SET auto_explain.log_timing = on; "
      "SET auto_explain.log_nested_statements = on; SET auto_explain.log_format = text; "
      "SET client_min_messages = log");
}

std::set<std::string> large_tables(tools::PgConnection &conn) {
  std::set<std::string> out;
  auto res = conn.exec(
      "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' "
      "AND reltuples >= " +
      std::to_string(kLargeTableRows));
  for (int r = 0; r < res.rows(); ++r) out.insert(std::string(res.value(r, 0)));
  return out;
}

// Drops, inside the open transaction, every index the seed did not have.
std::vector<std::string> drop_to_seed_indexes(tools::PgConnection &conn) {
  auto res = conn.exec(
      "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
      "JOIN pg_class c ON c.oid = x.indrelid "
      "WHERE c.relnamespace = 'public'::regnamespace "
      "AND c.relname IN ('note', 'reference', 'tune', 'playlist', 'playlist_tune', "
      "'user_genre_selection') "
      "AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = x.indexrelid) "
      "AND i.relname NOT IN (" +
      std::string(kSeedIndexes) + ") ORDER BY 1");
  std::vector<std::string> dropped;
  for (int r = 0; r < res.rows(); ++r) dropped.emplace_back(res.value(r, 0));
  for (const auto &name : dropped) conn.exec("DROP INDEX public." + name);
  return dropped;
}

Explained explain_call(tools::PgConnection &conn, std::vector<std::string> &notices,
                       const std::string &phase, const BenchUser &user, Table t,
                       const std::string &query, Method m,
                       const std::optional<std::string> &after_ts,
                       const std::optional<std::string> &after_id, long long offset, int page_size,
                       const std::set<std::string> &large) {
  // Inside a transaction the unnamed portal of a parameterized query lives
  // until the next statement replaces it, and only then does auto_explain
  // report it. A utility statement (which auto_explain does not report)
  // before and after the call pins its notices to it.
  const char *flush = "SET auto_explain.log_min_duration = 0";
  conn.exec(flush);
  notices.clear();
  IdDigest ignored;
  const PageFetch page =
      fetch_page(conn, m, t, user, page_size, after_ts, after_id, offset, ignored);
  conn.exec(flush);
  Explained e{phase,     std::string(user_kind_name(user.kind)) + " " + table_name(t),
              query,     m,
              page.rows, page.ms,
              {},        {},
              {}};
  // Nested statements finish first; the top-level one, reported last, is
  // listed first so its buffers and time are the call's.
  for (auto it = notices.rbegin(); it != notices.rend(); ++it) e.plan_text += *it + "\n";
  e.plan = summarize_plan(e.plan_text);
  if (!notices.empty())
    e.ms = std::strtod(notices.back().c_str() + std::string_view("duration: ").size(), nullptr);
  e.flags = plan_flags(e.plan, large);
  return e;
}

void explain_phase(tools::PgConnection &conn, std::vector<std::string> &notices,
                   const std::string &phase, const BenchContext &ctx, const Options &o,
                   const std::set<std::string> &large, std::vector<Explained> &out) {
  for (const auto &user : ctx.users)
    for (Table t : tables_for(o)) {
      const auto keys = result_keys(conn, t, user, false);
      const auto incremental_keys = result_keys(conn, t, user, true);
      const long long pages = (static_cast<long long>(keys.size()) + o.page_size - 1) / o.page_size;
      const long long deep = pages > 0 ? (pages - 1) * o.page_size : 0;
      const std::optional<std::string> newest = incremental_keys.empty()
                                                    ? std::optional<std::string>("-infinity")
                                                    : incremental_keys.back().timestamp;
      for (Method m : kExplainMethods) {
        if (!method_applies(m, t)) continue;
        const bool keyset = paging_of(m) == Paging::keyset;
        out.push_back(explain_call(conn, notices, phase, user, t, "first page", m, std::nullopt,
                                   std::nullopt, 0, o.page_size, large));
        std::optional<std::string> ts, id;
        if (keyset && deep > 0) {
          ts = keys[static_cast<std::size_t>(deep - 1)].timestamp;
          id = keys[static_cast<std::size_t>(deep - 1)].id;
        }
        out.push_back(explain_call(conn, notices, phase, user, t,
                                   "deep page " + std::to_string(pages - 1), m, ts, id,
                                   keyset ? 0 : deep, o.page_size, large));
        out.push_back(explain_call(conn, notices, phase, user, t, "empty incremental", m, newest,
                                   std::nullopt, 0, o.page_size, large));
      }
    }
}

void print_explained(const std::vector<Explained> &all) {
  std::string current;
  TextTable *table = nullptr;
  std::vector<TextTable> tables;
  std::vector<std::string> titles;
  for (const auto &e : all) {
    const std::string key = e.phase + ": " + e.target;
    if (key != current) {
      current = key;
      titles.push_back(key);
      tables.emplace_back(std::vector<std::string>{"query", "method", "rows", "ms", "hit", "read",
                                                   "nodes", "flags"});
      table = &tables.back();
    }
    std::string flags;
    for (const auto &f : e.flags) flags += (flags.empty() ? "" : "; ") + f;
    table->add_row({e.query, method_name(e.method), std::to_string(e.rows), fixed(e.ms, 3),
                    std::to_string(e.plan.shared_hit), std::to_string(e.plan.shared_read),
                    node_types(e.plan.nodes), flags.empty() ? "-" : flags});
  }
  for (std::size_t i = 0; i < tables.size(); ++i)
    std::printf("\n%s\n%s", titles[i].c_str(), tables[i].render().c_str());
}
}  // namespace

int run_explain(const Options &o) {
  auto conn = open_bench_connection(o);
  const BenchContext ctx = load_context(conn, o);
  print_context_header(o, ctx);
  std::vector<std::string> notices;
  PQsetNoticeReceiver(conn.get(), collect_notice, &notices);
  enable_auto_explain(conn);
  const auto large = large_tables(conn);
  std::printf("large tables (>= %.0f rows, Seq Scans flagged):", kLargeTableRows);
  for (const auto &t : large) std::printf(" %s", t.c_str());
  std::printf(
      "%s\nms: server execution time of the call (auto_explain); hit/read: shared buffers\n",
      large.empty() ? " none" : "");

  std::vector<Explained> all;
  // Both phases run in a transaction that is rolled back: the database
  // keeps whatever indexes it had.
  conn.exec("BEGIN");
  const auto dropped = drop_to_seed_indexes(conn);
  explain_phase(conn, notices, "before sync_create_indexes() (seed indexes only)", ctx, o, large,
                all);
  conn.exec("ROLLBACK");
  conn.exec("BEGIN");
  auto created = conn.exec("SELECT index_name FROM sync_create_indexes()");
  explain_phase(conn, notices, "after sync_create_indexes()", ctx, o, large, all);
  conn.exec("ROLLBACK");

  std::printf("before: dropped for the phase:");
  for (const auto &d : dropped) std::printf(" %s", d.c_str());
  std::printf("\nafter: sync_create_indexes() created %d missing index(es)\n", created.rows());
  print_explained(all);

  if (!o.json_path.empty()) {
    JsonWriter json;
    json.begin_object();
    write_context_json(json, o, ctx);
    json.key("dropped_before").begin_array();
    for (const auto &d : dropped) json.string(d);
    json.end_array();
    json.key("calls").begin_array();
    for (const auto &e : all) {
      json.begin_object()
          .key("phase")
          .string(e.phase)
          .key("target")
          .string(e.target)
          .key("query")
          .string(e.query)
          .key("method")
          .string(method_name(e.method))
          .key("rows")
          .integer(e.rows)
          .key("ms")
          .number(e.ms)
          .key("shared_hit")
          .integer(e.plan.shared_hit)
          .key("shared_read")
          .integer(e.plan.shared_read)
          .key("nodes")
          .string(node_types(e.plan.nodes));
      json.key("flags").begin_array();
      for (const auto &f : e.flags) json.string(f);
      json.end_array();
      json.key("plans").string(e.plan_text).end_object();
    }
    json.end_array().end_object();
    write_file(o.json_path, json.str() + "\n");
  }
  return 0;
}

}  // namespace gs::bench
