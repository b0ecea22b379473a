#include "common/connection_options.hpp"

#include <catch2/catch.hpp>

using gs::tools::ConnectionOptions;

TEST_CASE("connection flags are stored in their fields, short and long") {
  ConnectionOptions options;
  CHECK(options.accept("-h", "/tmp/sock"));
  CHECK(options.accept("--port", "5433"));
  CHECK(options.accept("-U", "alice"));
  CHECK(options.accept("--dbname", "host=db1 dbname=app"));
  CHECK(options.host == "/tmp/sock");
  CHECK(options.port == "5433");
  CHECK(options.user == "alice");
  CHECK(options.dbname == "host=db1 dbname=app");

  CHECK(options.accept("--host", "db2"));
  CHECK(options.accept("-p", "1"));
  CHECK(options.accept("--username", "bob"));
  CHECK(options.accept("-d", "app"));
  CHECK(options.host == "db2");
  CHECK(options.port == "1");
  CHECK(options.user == "bob");
  CHECK(options.dbname == "app");
}

TEST_CASE("other flags are not connection flags and change nothing") {
  ConnectionOptions options;
  for (const char *flag : {"--scale", "-H", "host", "--hostname", "-u", "", "-"}) {
    CAPTURE(flag);
    CHECK_FALSE(ConnectionOptions::is_connection_flag(flag));
    CHECK_FALSE(options.accept(flag, "x"));
  }
  CHECK(options.host.empty());
  CHECK(options.port.empty());
  CHECK(options.user.empty());
  CHECK(options.dbname.empty());
  CHECK(ConnectionOptions::is_connection_flag("-U"));
}
