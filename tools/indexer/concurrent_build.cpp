#include "indexer/concurrent_build.hpp"

#include "indexer/progress_line.hpp"

#include <poll.h>

#include <chrono>
#include <cstdlib>

namespace gs::indexer {
namespace {

constexpr const char *lock_not_available = "55P03";
constexpr const char *insufficient_privilege = "42501";
constexpr int poll_interval_ms = 200;

using Clock = std::chrono::steady_clock;

class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream &out, tools::ProgressBar::Style style, std::string index_name)
      : out_(out), style_(style), index_name_(std::move(index_name)) {}

  void show(const ProgressSample &sample) {
    const std::string line = format_progress(index_name_, sample, elapsed());
    if (style_ == tools::ProgressBar::Style::redraw) {
      out_ << '\r' << line << "\033[K" << std::flush;
    } else if (style_ == tools::ProgressBar::Style::lines && sample.phase != last_phase_) {
      out_ << line << '\n' << std::flush;
    }
    last_phase_ = sample.phase;
  }

  void finish(const std::string &outcome) {
    if (style_ == tools::ProgressBar::Style::off) {
      return;
    }
    if (style_ == tools::ProgressBar::Style::redraw) {
      out_ << '\r';
    }
    char elapsed_text[32];
    std::snprintf(elapsed_text, sizeof elapsed_text, "%.1f s", elapsed());
    out_ << index_name_ << " | " << outcome << " | " << elapsed_text;
    if (style_ == tools::ProgressBar::Style::redraw) {
      out_ << "\033[K";
    }
    out_ << '\n' << std::flush;
  }

 private:
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  std::ostream &out_;
  tools::ProgressBar::Style style_;
  std::string index_name_;
  std::string last_phase_ = "-";
  Clock::time_point start_ = Clock::now();
};

std::int64_t to_int(std::string_view text) {
  return text.empty() ? 0 : std::strtoll(std::string(text).c_str(), nullptr, 10);
}

ProgressSample sample_progress(tools::PgConnection &watcher, const std::string &builder_pid) {
  const tools::PgResult result = watcher.exec(
      "SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total "
      "FROM pg_catalog.pg_stat_progress_create_index WHERE pid = $1",
      {builder_pid.c_str()});
  ProgressSample sample;
  if (result.rows() == 1) {
    sample.phase = result.value(0, 0);
    sample.blocks_done = to_int(result.value(0, 1));
    sample.blocks_total = to_int(result.value(0, 2));
    sample.tuples_done = to_int(result.value(0, 3));
    sample.tuples_total = to_int(result.value(0, 4));
  }
  return sample;
}

// Runs one statement on `builder` without blocking, sampling progress every
// poll interval until it finishes; throws PgError with the SQLSTATE on failure.
void run_with_progress(tools::PgConnection &builder, tools::PgConnection &watcher,
                       const std::string &sql, ProgressDisplay &display) {
  PGconn *conn = builder.get();
  if (PQsendQuery(conn, sql.c_str()) == 0) {
    throw tools::PgError("could not send query: " + tools::connection_error_text(conn));
  }
  const std::string pid = std::to_string(PQbackendPID(conn));
  pollfd fd{PQsocket(conn), POLLIN, 0};
  while (true) {
    if (PQconsumeInput(conn) == 0) {
      throw tools::PgError("connection lost: " + tools::connection_error_text(conn));
    }
    if (PQisBusy(conn) == 0) {
      break;
    }
    display.show(sample_progress(watcher, pid));
    poll(&fd, 1, poll_interval_ms);
  }
  tools::PgResult failed;
  while (PGresult *raw = PQgetResult(conn)) {
    tools::PgResult result(raw);
    if (result.status() != PGRES_COMMAND_OK && result.status() != PGRES_TUPLES_OK) {
      failed = std::move(result);
    }
  }
  if (failed.get() != nullptr) {
    tools::throw_result_error(failed.get(), "CREATE INDEX CONCURRENTLY failed");
  }
}

std::string qualified(const IndexPlan &plan, const std::string &name) {
  return plan.schema + "." + name;
}

void check_ownership(tools::PgConnection &conn, const IndexPlan &plan) {
  for (const RequiredIndex &index : plan.indexes) {
    if (action_for(index) == Action::keep) {
      continue;
    }
    const std::string table = qualified(plan, index.table_name);
    const tools::PgResult owned = conn.exec(
        "SELECT pg_catalog.pg_has_role(c.relowner, 'USAGE') FROM pg_catalog.pg_class c "
        "WHERE c.oid = pg_catalog.to_regclass($1)",
        {table.c_str()});
    if (owned.rows() != 1 || owned.value(0, 0) != "t") {
      throw PermissionDenied("permission denied: building " + index.index_name +
                             " requires ownership of table " + table);
    }
  }
}

// A failed concurrent build leaves an invalid index under our name, which
// would make the next CREATE fail on the name.
void drop_invalid_leftover(tools::PgConnection &builder, const IndexPlan &plan,
                           const RequiredIndex &index) {
  const std::string name = qualified(plan, index.index_name);
  const tools::PgResult invalid = builder.exec(
      "SELECT 1 FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass($1) "
      "AND NOT (i.indisvalid AND i.indisready)",
      {name.c_str()});
  if (invalid.rows() == 1) {
    builder.exec("DROP INDEX CONCURRENTLY " + name);
  }
}

void build_one(tools::PgConnection &builder, tools::PgConnection &watcher, const IndexPlan &plan,
               const RequiredIndex &index, const BuildSettings &settings,
               std::ostream &progress_out) {
  const std::string sql = concurrent_definition(index.definition);
  for (int attempt = 0;; ++attempt) {
    ProgressDisplay display(progress_out, settings.progress, index.index_name);
    try {
      drop_invalid_leftover(builder, plan, index);
      run_with_progress(builder, watcher, sql, display);
      display.finish("valid");
      return;
    } catch (const tools::PgError &error) {
      if (error.sqlstate() == insufficient_privilege) {
        display.finish("permission denied");
        throw PermissionDenied(error.what());
      }
      if (error.sqlstate() != lock_not_available) {
        display.finish("failed");
        throw BuildFailed(index.index_name + ": " + error.what());
      }
      if (attempt >= settings.retries) {
        display.finish("lock timeout");
        throw BuildFailed(index.index_name + ": lock timeout (" + settings.lock_timeout + ") on " +
                          std::to_string(attempt + 1) +
                          " attempts; the invalid leftover, if any, is "
                          "repaired by the next run");
      }
      display.finish("lock timeout, retrying");
    }
  }
}

}  // namespace

std::vector<std::string> build_missing(tools::PgConnection &builder, tools::PgConnection &watcher,
                                       const IndexPlan &plan, const BuildSettings &settings,
                                       std::ostream &progress_out) {
  check_ownership(builder, plan);
  builder.exec("SET lock_timeout = '" + settings.lock_timeout + "'");
  std::vector<std::string> built;
  for (const RequiredIndex &index : plan.indexes) {
    if (action_for(index) == Action::keep) {
      continue;
    }
    build_one(builder, watcher, plan, index, settings, progress_out);
    built.push_back(index.index_name);
  }
  return built;
}

}  // namespace gs::indexer
