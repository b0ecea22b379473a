#include "full_pull.hpp"

#include <cmath>

namespace gs::bench {

namespace {
// SQLSTATE query_canceled: statement_timeout fired.
constexpr const char *kQueryCanceled = "57014";

void set_statement_timeout(tools::PgConnection &conn, const std::string &value) {
  conn.exec("SELECT set_config('statement_timeout', $1, false)", {value.c_str()});
}
}  // namespace

PullResult pull_all(tools::PgConnection &conn, Method m, Table t, const BenchUser &user,
                    int page_size, const std::optional<std::string> &after_timestamp,
                    ProgressReporter &progress, std::optional<double> limit_ms) {
  PullResult out;
  IdDigest digest;
  auto account = [&](const PageFetch &page) {
    out.rows += page.rows;
    out.requests += 1;
    out.total_ms += page.ms;
    out.latencies.push_back(page.ms);
    progress.record(page.ms);
  };

  if (paging_of(m) == Paging::copy) {
    account(fetch_copy(conn, t, user, after_timestamp, digest));
    out.digest = digest.value();
    return out;
  }

  if (paging_of(m) == Paging::envelope) {
    // A worker's loop: until has_more is false, bounded by the first page's
    // horizon_cursor.
    std::optional<std::string> cursor, until;
    while (true) {
      const EnvelopeFetch e = fetch_envelope(conn, t, user, page_size, cursor, until, digest);
      account(e.page);
      if (!until && !e.horizon_cursor.empty()) until = e.horizon_cursor;
      if (!e.has_more) break;
      if (e.next_cursor.empty() || (cursor && *cursor == e.next_cursor))
        throw std::runtime_error("sync_pull said has_more but its cursor did not advance");
      cursor = e.next_cursor;
    }
    out.digest = digest.value();
    return out;
  }

  std::optional<std::string> after_ts = after_timestamp, after_id;
  long long offset = 0;
  const std::string timeout_before =
      limit_ms ? std::string(conn.exec("SHOW statement_timeout").value(0, 0)) : std::string();
  while (true) {
    if (limit_ms) {
      const double left = *limit_ms - out.total_ms;
      if (left <= 0) {
        out.stopped = true;
        break;
      }
      set_statement_timeout(conn, std::to_string(static_cast<long long>(std::ceil(left))));
    }
    PageFetch page;
    try {
      page = fetch_page(conn, m, t, user, page_size, after_ts, after_id, offset, digest);
    } catch (const tools::PgError &e) {
      if (!limit_ms || e.sqlstate() != kQueryCanceled) throw;
      out.total_ms = *limit_ms;
      out.stopped = true;
      break;
    }
    account(page);
    if (page.rows > page_size)
      throw std::runtime_error(std::string(method_name(m)) + " returned " +
                               std::to_string(page.rows) + " rows for a page of " +
                               std::to_string(page_size));
    if (page.rows < page_size) break;
    if (paging_of(m) == Paging::offset) {
      offset += page.rows;
    } else {
      after_ts = page.last->timestamp;
      after_id = page.last->id;
    }
  }
  if (limit_ms) set_statement_timeout(conn, timeout_before);
  out.digest = digest.value();
  return out;
}

}  // namespace gs::bench
