#include "indexer/reorganize.hpp"

#include <chrono>
#include <cstdlib>

namespace gs::indexer {
namespace {

long long to_ll(std::string_view text) {
  return std::strtoll(std::string(text).c_str(), nullptr, 10);
}

long long heap_pages(tools::PgConnection &conn, const std::string &relation) {
  return to_ll(conn.exec("SELECT pg_catalog.pg_relation_size($1::pg_catalog.regclass) / "
                         "current_setting('block_size')::int8",
                         {relation.c_str()})
                   .value(0, 0));
}

std::string wal_position(tools::PgConnection &conn) {
  return std::string(conn.exec("SELECT pg_catalog.pg_current_wal_lsn()").value(0, 0));
}

}  // namespace

ReorganizeResult reorganize_table(tools::PgConnection &writer, tools::PgConnection &holder,
                                  const std::string &schema, const std::string &table,
                                  const ReorganizeSettings &settings, const std::atomic<bool> &stop,
                                  std::ostream &progress_out) {
  const std::string relation = schema + "." + table;
  ReorganizeResult result;
  result.pages_before = heap_pages(writer, relation);
  // The progress total: the planner's row count, and where a resumed run stands.
  const tools::PgResult known = writer.exec(
      "SELECT greatest(c.reltuples, 0)::int8, coalesce((SELECT p.rows_done FROM " + schema +
          ".sync_reorganize_progress p WHERE p.table_name = $2), 0) "
          "FROM pg_catalog.pg_class c WHERE c.oid = $1::pg_catalog.regclass",
      {relation.c_str(), table.c_str()});
  const long long resumed_at = to_ll(known.value(0, 1));
  const long long total = std::max(to_ll(known.value(0, 0)), resumed_at);

  const std::string wal_start = wal_position(writer);
  const auto start = std::chrono::steady_clock::now();
  // The snapshot that keeps the run's old versions from being pruned (a
  // pruned page would take the next moved row back in place).
  holder.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
  holder.exec("SELECT 1 FROM pg_catalog.pg_class LIMIT 1");

  tools::ProgressBar bar(progress_out, settings.progress);
  bar.start(table + (resumed_at > 0 ? " (resumed)" : ""), static_cast<std::uint64_t>(total));
  bar.update(static_cast<std::uint64_t>(resumed_at));
  const std::string batch = std::to_string(settings.batch_rows);
  bool finished = false;
  while (!finished) {
    if (stop.load()) {
      result.interrupted = true;
      break;
    }
    const tools::PgResult step = writer.exec(
        "SELECT moved, rows_done, finished FROM " + schema + ".sync_reorganize_step($1, $2)",
        {table.c_str(), batch.c_str()});
    result.rows += to_ll(step.value(0, 0));
    finished = step.value(0, 2) == "t";
    bar.update(static_cast<std::uint64_t>(finished ? total : to_ll(step.value(0, 1))));
  }
  holder.exec("COMMIT");
  if (finished) {
    bar.finish();
    // Now that no snapshot needs them, the old versions go and their pages
    // become free space; the statistics learn the new order.
    writer.exec("VACUUM (ANALYZE) " + relation);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.wal_bytes = to_ll(writer
                               .exec("SELECT pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_"
                                     "lsn(), $1)::int8",
                                     {wal_start.c_str()})
                               .value(0, 0));
  result.pages_after = heap_pages(writer, relation);
  return result;
}

}  // namespace gs::indexer
