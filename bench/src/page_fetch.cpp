#include "page_fetch.hpp"

#include <chrono>
#include <memory>

#include "envelope_reader.hpp"

namespace gs::bench {

namespace {
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string literal(PGconn *conn, const std::string &value, const char *type) {
  std::unique_ptr<char, decltype(&PQfreemem)> quoted(
      PQescapeLiteral(conn, value.c_str(), value.size()), &PQfreemem);
  if (!quoted)
    throw tools::PgError("cannot quote a literal: " + tools::connection_error_text(conn));
  return std::string(quoted.get()) + "::" + type;
}
}  // namespace

PageFetch fetch_page(tools::PgConnection &conn, Method m, Table t, const BenchUser &user,
                     int page_size, const std::optional<std::string> &after_timestamp,
                     const std::optional<std::string> &after_id, long long offset,
                     IdDigest &digest) {
  const std::string sql = page_sql(m, t);
  const std::string limit = std::to_string(page_size);
  const std::string offset_text = std::to_string(offset);
  const char *ts = after_timestamp ? after_timestamp->c_str() : nullptr;
  const bool keyset = paging_of(m) == Paging::keyset;
  const char *fourth = keyset ? (after_id ? after_id->c_str() : nullptr) : limit.c_str();
  const char *fifth = keyset ? limit.c_str() : offset_text.c_str();

  const auto start = Clock::now();
  tools::PgResult res = conn.exec(sql, {user.id.c_str(), user.genres.c_str(), ts, fourth, fifth});
  PageFetch page;
  page.ms = ms_since(start);
  if (m == Method::ours_page_json) {
    // One json_agg value (NULL for no rows), read after the clock stopped.
    const std::string rows(res.is_null(0, 0) ? std::string_view("[]") : res.value(0, 0));
    const Envelope e = read_envelope("{\"has_more\": false, \"rows\": " + rows + "}");
    page.rows = static_cast<long long>(e.rows.size());
    for (const RowKey &row : e.rows) digest.add(row.id);
    if (!e.rows.empty()) page.last = Cursor{e.rows.back().last_modified_at, e.rows.back().id};
    return page;
  }
  page.rows = res.rows();

  const int id_col = PQfnumber(res.get(), "id");
  const int ts_col = PQfnumber(res.get(), "last_modified_at");
  if (id_col < 0 || ts_col < 0)
    throw tools::PgError(sql + ": result has no id or last_modified_at column");
  for (int r = 0; r < res.rows(); ++r) digest.add(res.value(r, id_col));
  if (res.rows() > 0)
    page.last = Cursor{std::string(res.value(res.rows() - 1, ts_col)),
                       std::string(res.value(res.rows() - 1, id_col))};
  return page;
}

EnvelopeFetch fetch_envelope(tools::PgConnection &conn, Table t, const BenchUser &user,
                             int page_size, const std::optional<std::string> &cursor,
                             const std::optional<std::string> &until, IdDigest &digest) {
  const std::string limit = std::to_string(page_size);
  const auto start = Clock::now();
  tools::PgResult res = conn.exec(
      page_sql(Method::ours_envelope, t),
      {table_sql_name(t), user.id.c_str(), user.genres.c_str(), cursor ? cursor->c_str() : nullptr,
       limit.c_str(), until ? until->c_str() : nullptr});
  EnvelopeFetch out;
  out.page.ms = ms_since(start);
  const Envelope e = read_envelope(res.value(0, 0));
  out.page.rows = static_cast<long long>(e.rows.size());
  for (const RowKey &row : e.rows) digest.add(row.id);
  if (!e.rows.empty()) out.page.last = Cursor{e.rows.back().last_modified_at, e.rows.back().id};
  out.has_more = e.has_more;
  out.next_cursor = e.next_cursor;
  out.horizon_cursor = e.horizon_cursor;
  return out;
}

PageFetch fetch_copy(tools::PgConnection &conn, Table t, const BenchUser &user,
                     const std::optional<std::string> &after_timestamp, IdDigest &digest) {
  PGconn *pg = conn.get();
  std::optional<std::string> after;
  if (after_timestamp) after = literal(pg, *after_timestamp, "timestamptz");
  const std::string alias = table_alias(t);
  const std::string sql = "COPY (" +
                          result_sql(t, alias + ".*", literal(pg, user.id, "uuid"),
                                     literal(pg, user.genres, "text[]"), after) +
                          ") TO STDOUT";

  PageFetch page;
  const auto start = Clock::now();
  tools::PgResult begin(PQexec(pg, sql.c_str()));
  if (begin.status() != PGRES_COPY_OUT) tools::throw_result_error(begin.get(), "COPY floor");
  char *line = nullptr;
  int len = 0;
  // The first column of every app table is its id, and COPY text ends it
  // with a tab.
  while ((len = PQgetCopyData(pg, &line, 0)) > 0) {
    std::string_view row(line, static_cast<std::size_t>(len));
    digest.add(row.substr(0, row.find('\t')));
    ++page.rows;
    PQfreemem(line);
  }
  if (len == -2) throw tools::PgError("COPY floor: " + tools::connection_error_text(pg));
  tools::PgResult end(PQgetResult(pg));
  if (end.status() != PGRES_COMMAND_OK) tools::throw_result_error(end.get(), "COPY floor");
  while (PGresult *extra = PQgetResult(pg)) PQclear(extra);
  page.ms = ms_since(start);
  return page;
}

}  // namespace gs::bench
