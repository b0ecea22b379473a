#include "datagen/loader.hpp"

#include "datagen/app_schema_sql.hpp"
#include "datagen/foreign_keys.hpp"
#include "datagen/row_generator.hpp"
#include "datagen/tables.hpp"

#include <chrono>
#include <string>

namespace gs::datagen {
namespace {

// Big enough that per-message overhead vanishes, small enough to keep the
// generator and the server working side by side.
constexpr std::size_t copy_chunk_bytes = 1 << 20;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string quoted(std::string_view identifier) { return "\"" + std::string(identifier) + "\""; }

// Where rows of `table` are COPYed to before they are written sorted.
constexpr const char *staging_table = "genre_sync_datagen_staging";

void copy_table(tools::PgConnection &conn, const DatasetPlan &plan, Table table,
                PhysicalOrder order, tools::ProgressBar &progress) {
  const std::string name(table_name(table));
  const std::string columns(copy_columns(table));
  const auto sort_key = order == PhysicalOrder::time ? time_order_key(table) : std::nullopt;
  if (sort_key) {
    conn.exec("CREATE TEMPORARY TABLE " + std::string(staging_table) + " (LIKE " + quoted(name) +
              ") ON COMMIT DROP");
  }
  const std::string sql = "COPY " + (sort_key ? std::string(staging_table) : quoted(name)) + " (" +
                          columns + ") FROM STDIN";
  {
    tools::PgResult started(PQexec(conn.get(), sql.c_str()));
    if (started.status() != PGRES_COPY_IN) {
      tools::throw_result_error(started.get(), "COPY " + name);
    }
  }
  progress.start(name, row_count(plan, table));
  generate_rows(
      plan, table, copy_chunk_bytes, [&](std::string_view chunk, std::uint64_t rows_done) {
        if (PQputCopyData(conn.get(), chunk.data(), static_cast<int>(chunk.size())) != 1) {
          throw tools::PgError("COPY " + name + ": sending data failed: " +
                               tools::connection_error_text(conn.get()));
        }
        progress.update(rows_done);
      });
  if (PQputCopyEnd(conn.get(), nullptr) != 1) {
    throw tools::PgError("COPY " + name +
                         ": ending the copy failed: " + tools::connection_error_text(conn.get()));
  }
  // The server reports bad rows (or FK violations) only now.
  tools::PgResult finished(PQgetResult(conn.get()));
  while (PGresult *extra = PQgetResult(conn.get())) {
    PQclear(extra);
  }
  if (finished.status() != PGRES_COMMAND_OK) {
    tools::throw_result_error(finished.get(), "COPY " + name);
  }
  if (sort_key) {
    // One backend appending to a new heap: rows land in the order sent.
    conn.exec("INSERT INTO " + quoted(name) + " (" + columns + ") SELECT " + columns + " FROM " +
              staging_table + " ORDER BY " + std::string(*sort_key));
    conn.exec("DROP TABLE " + std::string(staging_table));
  }
  progress.finish();
}

}  // namespace

void check_target(tools::PgConnection &conn, bool create_schema) {
  for (const std::string_view table : app_tables) {
    const std::string name(table);
    const tools::PgResult found =
        conn.exec("SELECT to_regclass($1) IS NOT NULL", {quoted(name).c_str()});
    const bool exists = found.value(0, 0) == "t";
    if (create_schema && exists) {
      throw TargetNotReady("table \"" + name +
                           "\" already exists: drop the app tables or leave out --create-schema");
    }
    if (!create_schema && !exists) {
      throw TargetNotReady(
          "table \"" + name +
          "\" does not exist: create the app schema first or pass --create-schema");
    }
    if (exists &&
        conn.exec("SELECT EXISTS (SELECT 1 FROM " + quoted(name) + ")").value(0, 0) == "t") {
      throw TargetNotReady("table \"" + name + "\" is not empty: datagen only fills empty tables");
    }
  }
}

LoadTimes load_dataset(tools::PgConnection &conn, const DatasetPlan &plan, bool create_schema,
                       PhysicalOrder order, tools::ProgressBar &progress) {
  LoadTimes times;
  const auto copy_start = std::chrono::steady_clock::now();
  conn.exec("BEGIN");
  if (create_schema) {
    conn.exec(std::string(app_schema_sql));
  }
  times.foreign_keys_checked_after_load = can_check_foreign_keys_after_load(conn);
  if (times.foreign_keys_checked_after_load) {
    conn.exec("SET LOCAL session_replication_role = replica");
  }
  for (const Table table : load_order) {
    const auto table_start = std::chrono::steady_clock::now();
    copy_table(conn, plan, table, order, progress);
    times.table_seconds[std::string(table_name(table))] = seconds_since(table_start);
  }
  if (times.foreign_keys_checked_after_load) {
    const auto verify_start = std::chrono::steady_clock::now();
    verify_foreign_keys(conn);
    times.verify_seconds = seconds_since(verify_start);
  }
  conn.exec("COMMIT");
  times.copy_seconds = seconds_since(copy_start);

  const auto analyze_start = std::chrono::steady_clock::now();
  std::string analyze = "ANALYZE ";
  for (std::size_t i = 0; i < app_tables.size(); ++i) {
    analyze += (i ? ", " : "") + quoted(app_tables[i]);
  }
  conn.exec(analyze);
  times.analyze_seconds = seconds_since(analyze_start);
  return times;
}

}  // namespace gs::datagen
