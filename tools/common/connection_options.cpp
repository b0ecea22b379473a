#include "common/connection_options.hpp"

namespace gs::tools {
namespace {

std::string *field_for(ConnectionOptions &options, std::string_view flag) {
  if (flag == "-h" || flag == "--host") return &options.host;
  if (flag == "-p" || flag == "--port") return &options.port;
  if (flag == "-U" || flag == "--username") return &options.user;
  if (flag == "-d" || flag == "--dbname") return &options.dbname;
  return nullptr;
}

}  // namespace

bool ConnectionOptions::accept(std::string_view flag, std::string_view value) {
  std::string *field = field_for(*this, flag);
  if (field == nullptr) {
    return false;
  }
  *field = value;
  return true;
}

bool ConnectionOptions::is_connection_flag(std::string_view flag) {
  ConnectionOptions scratch;
  return field_for(scratch, flag) != nullptr;
}

std::string_view ConnectionOptions::help() {
  return "Connection options (default: libpq's PGHOST, PGPORT, PGUSER, PGDATABASE):\n"
         "  -h, --host=HOST          server host or socket directory\n"
         "  -p, --port=PORT          server port\n"
         "  -U, --username=USER      database user\n"
         "  -d, --dbname=DBNAME      database name, or a conninfo string / URI\n";
}

}  // namespace gs::tools
