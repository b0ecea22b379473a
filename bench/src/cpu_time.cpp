#include <fstream>
#include <string>

#include "cpu_time.hpp"

namespace gs::bench {

namespace {
std::optional<CpuTime> read_schedstat(const std::string &path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return parse_schedstat(line);
}

bool is_local_host(const char *host) {
  if (host == nullptr || *host == '\0' || *host == '/')
    return true;  // libpq's default is the socket
  const std::string h(host);
  return h == "localhost" || h == "127.0.0.1" || h == "::1";
}
}  // namespace

CpuTime this_thread_cpu() {
  return read_schedstat("/proc/thread-self/schedstat").value_or(CpuTime{});
}

std::optional<CpuTime> local_backend_cpu(PGconn *conn) {
  if (!is_local_host(PQhost(conn))) return std::nullopt;
  const std::string proc = "/proc/" + std::to_string(PQbackendPID(conn));
  std::ifstream comm(proc + "/comm");
  std::string name;
  // A backend is a postgres process: another process with that pid means
  // the server is elsewhere (a container, another host behind a proxy).
  if (!std::getline(comm, name) || name.rfind("postgres", 0) != 0) return std::nullopt;
  return read_schedstat(proc + "/schedstat");
}

}  // namespace gs::bench
