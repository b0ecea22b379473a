#pragma once

#include <string>
#include <string_view>

namespace gs::tools {

// The psql-style connection flags every tool accepts. Empty fields are left
// to libpq, so PGHOST, PGPORT, PGUSER and PGDATABASE apply as usual.
// `dbname` may also be a conninfo string or URI (libpq's expand_dbname).
struct ConnectionOptions {
  std::string host;
  std::string port;
  std::string user;
  std::string dbname;

  // Stores `value` when `flag` is one of -h/--host, -p/--port,
  // -U/--username, -d/--dbname and returns true; false for any other flag.
  bool accept(std::string_view flag, std::string_view value);

  // Whether `flag` is one of the flags above (all of which take a value).
  static bool is_connection_flag(std::string_view flag);

  // The "Connection options:" block for a tool's --help.
  static std::string_view help();
};

}  // namespace gs::tools
