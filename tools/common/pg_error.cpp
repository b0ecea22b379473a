#include "common/pg_error.hpp"

namespace gs::tools {
namespace {

std::string trimmed(const char *text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
    s.pop_back();
  }
  return s;
}

}  // namespace

PgError::PgError(const std::string &message, std::string sqlstate)
    : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}

std::string connection_error_text(const PGconn *conn) {
  if (conn == nullptr) {
    return "out of memory allocating a connection";
  }
  return trimmed(PQerrorMessage(conn));
}

std::string result_error_text(const PGresult *result) {
  if (result == nullptr) {
    return "no result (out of memory or lost connection)";
  }
  return trimmed(PQresultErrorMessage(result));
}

void throw_result_error(const PGresult *result, const std::string &context) {
  const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  throw PgError(context + ": " + result_error_text(result), state ? state : "");
}

}  // namespace gs::tools
