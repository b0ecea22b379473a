#include "common/pg_connection.hpp"

#include <utility>
#include <vector>

namespace gs::tools {

PgResult &PgResult::operator=(PgResult &&other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

std::string_view PgResult::value(int row, int column) const noexcept {
  return {PQgetvalue(result_, row, column),
          static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

PgConnection &PgConnection::operator=(PgConnection &&other) noexcept {
  if (this != &other) {
    PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
  }
  return *this;
}

PgConnection PgConnection::open(const ConnectionOptions &options, const char *application_name) {
  std::vector<const char *> keywords;
  std::vector<const char *> values;
  const auto add = [&](const char *keyword, const std::string &value) {
    if (!value.empty()) {
      keywords.push_back(keyword);
      values.push_back(value.c_str());
    }
  };
  // dbname goes first: with expand_dbname a conninfo in it would otherwise
  // override the explicit -h/-p/-U that follow.
  add("dbname", options.dbname);
  add("host", options.host);
  add("port", options.port);
  add("user", options.user);
  keywords.push_back("fallback_application_name");
  values.push_back(application_name);
  keywords.push_back(nullptr);
  values.push_back(nullptr);

  PgConnection connection(PQconnectdbParams(keywords.data(), values.data(), 1));
  if (PQstatus(connection.conn_) != CONNECTION_OK) {
    throw ConnectionError("connection failed: " + connection_error_text(connection.conn_));
  }
  return connection;
}

PgResult PgConnection::checked(PGresult *raw, const std::string &sql) {
  PgResult result(raw);
  const ExecStatusType status = PQresultStatus(raw);
  if (raw == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
    if (raw == nullptr) {
      throw PgError("query failed: " + connection_error_text(conn_));
    }
    const std::string head = sql.substr(0, sql.find('\n'));
    throw_result_error(raw, "query failed (" + head.substr(0, 60) + ")");
  }
  return result;
}

PgResult PgConnection::exec(const std::string &sql) {
  return checked(PQexec(conn_, sql.c_str()), sql);
}

PgResult PgConnection::exec(const std::string &sql, std::initializer_list<const char *> params) {
  return checked(PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                              std::data(params), nullptr, nullptr, 0),
                 sql);
}

}  // namespace gs::tools
