#include "common/pg_connection.hpp"

#include <catch2/catch.hpp>

using namespace gs::tools;

TEST_CASE("connecting to a socket directory with no server throws ConnectionError") {
  ConnectionOptions options;
  options.host = "/nonexistent-gs-socket-dir";
  options.port = "1";
  options.dbname = "postgres";
  try {
    (void)PgConnection::open(options, "gs_tools_common_tests");
    FAIL("expected ConnectionError");
  } catch (const ConnectionError &error) {
    const std::string message = error.what();
    CHECK(message.rfind("connection failed: ", 0) == 0);
    CHECK(message.find("/nonexistent-gs-socket-dir/.s.PGSQL.1") != std::string::npos);
    CHECK(message.back() != '\n');
  }
}

TEST_CASE("explicit flags override what a conninfo in dbname says") {
  ConnectionOptions options;
  options.dbname = "host=/also-missing port=7 dbname=postgres";
  options.host = "/nonexistent-gs-socket-dir";
  try {
    (void)PgConnection::open(options, "gs_tools_common_tests");
    FAIL("expected ConnectionError");
  } catch (const ConnectionError &error) {
    const std::string message = error.what();
    CHECK(message.find("/nonexistent-gs-socket-dir/.s.PGSQL.7") != std::string::npos);
    CHECK(message.find("/also-missing") == std::string::npos);
  }
}

TEST_CASE("result error text is trimmed and keeps no trailing newline") {
  CHECK(result_error_text(nullptr) == "no result (out of memory or lost connection)");
  PgResult empty(PQmakeEmptyPGresult(nullptr, PGRES_FATAL_ERROR));
  CHECK(empty.status() == PGRES_FATAL_ERROR);
  CHECK(result_error_text(empty.get()).empty());
  try {
    throw_result_error(empty.get(), "COPY tune");
    FAIL("expected PgError");
  } catch (const PgError &error) {
    CHECK(std::string(error.what()) == "COPY tune: ");
    CHECK(error.sqlstate().empty());
  }
}
