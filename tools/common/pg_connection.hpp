#pragma once

#include "common/connection_options.hpp"
#include "common/pg_error.hpp"

#include <libpq-fe.h>

#include <initializer_list>
#include <string>
#include <string_view>

namespace gs::tools {

// Owns a PGresult; move-only.
class PgResult {
 public:
  PgResult() noexcept = default;
  explicit PgResult(PGresult *result) noexcept : result_(result) {}
  PgResult(PgResult &&other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult &operator=(PgResult &&other) noexcept;
  PgResult(const PgResult &) = delete;
  PgResult &operator=(const PgResult &) = delete;
  ~PgResult() { PQclear(result_); }

  PGresult *get() const noexcept { return result_; }
  ExecStatusType status() const noexcept { return PQresultStatus(result_); }
  int rows() const noexcept { return PQntuples(result_); }
  int columns() const noexcept { return PQnfields(result_); }
  bool is_null(int row, int column) const noexcept {
    return PQgetisnull(result_, row, column) != 0;
  }
  // Text value; empty for NULL (check is_null when that matters).
  std::string_view value(int row, int column) const noexcept;

 private:
  PGresult *result_ = nullptr;
};

// Owns a PGconn; move-only.
class PgConnection {
 public:
  // Connects (blocking) and throws ConnectionError with libpq's message on
  // failure. `application_name` shows in pg_stat_activity unless the
  // conninfo sets its own.
  static PgConnection open(const ConnectionOptions &options, const char *application_name);

  PgConnection(PgConnection &&other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  PgConnection &operator=(PgConnection &&other) noexcept;
  PgConnection(const PgConnection &) = delete;
  PgConnection &operator=(const PgConnection &) = delete;
  ~PgConnection() { PQfinish(conn_); }

  PGconn *get() const noexcept { return conn_; }

  // Runs `sql` (several statements allowed when there are no parameters)
  // and returns the last result; throws PgError unless it is
  // COMMAND_OK or TUPLES_OK. A nullptr parameter is SQL NULL.
  PgResult exec(const std::string &sql);
  PgResult exec(const std::string &sql, std::initializer_list<const char *> params);

 private:
  explicit PgConnection(PGconn *conn) noexcept : conn_(conn) {}
  PgResult checked(PGresult *raw, const std::string &sql);

  PGconn *conn_ = nullptr;
};

}  // namespace gs::tools
