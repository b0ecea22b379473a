#include "call_cost.hpp"

#include <chrono>
#include <initializer_list>
#include <utility>

#include "envelope_reader.hpp"
#include "result_keys.hpp"
#include "stats.hpp"

namespace gs::bench {

namespace {
using Clock = std::chrono::steady_clock;

// The largest p_limit sync_pull takes by default (genre_sync.max_page_size).
constexpr int kWalkPage = 10000;
constexpr int kTenRows = 10;

// Each call is a prepared statement, as client libraries send them
// (postgres.js, PostgREST): parsed once, then bound and executed per call.
class Prepared {
 public:
  Prepared(tools::PgConnection &conn, std::string name, const std::string &sql)
      : conn_(conn), name_(std::move(name)) {
    tools::PgResult res(PQprepare(conn_.get(), name_.c_str(), sql.c_str(), 0, nullptr));
    if (res.status() != PGRES_COMMAND_OK) tools::throw_result_error(res.get(), sql);
  }
  Prepared(const Prepared &) = delete;
  Prepared &operator=(const Prepared &) = delete;
  ~Prepared() { PQclear(PQexec(conn_.get(), ("DEALLOCATE " + name_).c_str())); }

  tools::PgResult run(std::initializer_list<const char *> params) {
    const std::vector<const char *> values(params);
    tools::PgResult res(PQexecPrepared(conn_.get(), name_.c_str(), static_cast<int>(values.size()),
                                       values.data(), nullptr, nullptr, 0));
    if (res.status() != PGRES_TUPLES_OK) tools::throw_result_error(res.get(), name_);
    return res;
  }

 private:
  tools::PgConnection &conn_;
  std::string name_;
};

Envelope pull(tools::PgConnection &conn, Table t, const BenchUser &user, const std::string &cursor,
              int limit) {
  const std::string l = std::to_string(limit);
  auto res = conn.exec(
      "SELECT sync_pull($1, $2::uuid, NULL, $3, $4::int)",
      {sync_table_name(t), user.id.c_str(), cursor.empty() ? nullptr : cursor.c_str(), l.c_str()});
  return read_envelope(res.value(0, 0));
}
}  // namespace

const char *call_kind_name(CallKind k) {
  return k == CallKind::empty ? "empty incremental" : "10-row page";
}

const char *call_method_name(CallMethod m) {
  switch (m) {
    case CallMethod::plain_select: return "plain SELECT";
    case CallMethod::page_function: return "page function";
    case CallMethod::sync_pull: return "sync_pull";
  }
  return "?";
}

CallPositions find_call_positions(tools::PgConnection &conn, Table t, const BenchUser &user) {
  CallPositions pos;
  const auto keys = result_keys(conn, t, user, true);
  if (keys.size() <= kTenRows) return pos;
  pos.last = keys.back();
  pos.eleventh_last = keys[keys.size() - kTenRows - 1];

  // (rows before, cursor before) of every page of a first sync.
  std::vector<std::pair<long long, std::string>> marks;
  long long total = 0;
  std::string cursor;
  for (;;) {
    marks.emplace_back(total, cursor);
    const Envelope page = pull(conn, t, user, cursor, kWalkPage);
    total += static_cast<long long>(page.rows.size());
    cursor = page.next_cursor;
    if (!page.has_more) break;
  }
  pos.pull_end_cursor = cursor;
  const long long target = total - kTenRows;
  if (target <= 0) return pos;
  auto mark = marks.rbegin();
  while (mark->first > target) ++mark;
  pos.pull_ten_cursor =
      target > mark->first
          ? pull(conn, t, user, mark->second, static_cast<int>(target - mark->first)).next_cursor
          : mark->second;
  pos.usable = true;
  return pos;
}

double CallCost::median_ms(CallMethod m) const { return median(ms[static_cast<int>(m)]); }

CallCost measure_call_cost(tools::PgConnection &conn, const CallPositions &pos, Table t,
                           const BenchUser &user, CallKind kind, int page_size, int calls) {
  CallCost cost;
  cost.user = &user;
  cost.table = t;
  cost.kind = kind;
  const Cursor &after = kind == CallKind::empty ? pos.last : pos.eleventh_last;
  const std::string limit = std::to_string(kind == CallKind::empty ? page_size : kTenRows);
  const std::string &cursor = kind == CallKind::empty ? pos.pull_end_cursor : pos.pull_ten_cursor;
  const std::string alias = table_alias(t);
  // Rows after the timestamp: the same index range as the page's (timestamp,
  // id) cursor, and the same rows unless the cursor row has ties.
  Prepared select(
      conn, "gs_bench_call_select",
      result_sql(t, alias + ".*", "$1::uuid", "$2::text[]", "$3::timestamptz") + " LIMIT $4::int");
  Prepared page(conn, "gs_bench_call_page", page_sql(Method::ours_keyset, t));
  Prepared pull_call(conn, "gs_bench_call_pull",
                     "SELECT sync_pull($1, $2::uuid, NULL, $3, $4::int)");

  for (int round = 0; round <= calls; ++round)
    for (CallMethod m : kCallMethods) {
      const auto start = Clock::now();
      tools::PgResult res =
          m == CallMethod::plain_select ? select.run({user.id.c_str(), user.genres.c_str(),
                                                      after.timestamp.c_str(), limit.c_str()})
          : m == CallMethod::page_function
              ? page.run({user.id.c_str(), user.genres.c_str(), after.timestamp.c_str(),
                          after.id.c_str(), limit.c_str()})
              : pull_call.run({sync_table_name(t), user.id.c_str(),
                               cursor.empty() ? nullptr : cursor.c_str(), limit.c_str()});
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      const int i = static_cast<int>(m);
      cost.rows[i] = m == CallMethod::sync_pull
                         ? static_cast<long long>(read_envelope(res.value(0, 0)).rows.size())
                         : res.rows();
      if (round > 0) cost.ms[i].push_back(ms);
    }
  return cost;
}

}  // namespace gs::bench
