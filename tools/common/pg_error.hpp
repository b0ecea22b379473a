#pragma once

#include <libpq-fe.h>

#include <stdexcept>
#include <string>

namespace gs::tools {

// A failed statement or COPY; keeps the server's SQLSTATE so callers can
// tell, say, a missing table (42P01) from a broken connection.
class PgError : public std::runtime_error {
 public:
  explicit PgError(const std::string &message, std::string sqlstate = {});
  const std::string &sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// Connecting failed: the tools map this to their own exit code (1).
class ConnectionError : public PgError {
 public:
  using PgError::PgError;
};

// libpq's messages end in a newline (sometimes several lines); these return
// them trimmed so they can be embedded in one line of our own.
std::string connection_error_text(const PGconn *conn);
std::string result_error_text(const PGresult *result);

// Throws PgError with the result's message and SQLSTATE.
[[noreturn]] void throw_result_error(const PGresult *result, const std::string &context);

}  // namespace gs::tools
