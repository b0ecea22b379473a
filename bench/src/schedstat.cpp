#include <charconv>

#include "cpu_time.hpp"

namespace gs::bench {

std::optional<CpuTime> parse_schedstat(std::string_view line) {
  double fields[2];
  const char *at = line.data();
  const char *end = line.data() + line.size();
  for (double &f : fields) {
    while (at < end && *at == ' ') ++at;
    unsigned long long ns = 0;
    const auto [next, ec] = std::from_chars(at, end, ns);
    if (ec != std::errc() || next == at) return std::nullopt;
    f = static_cast<double>(ns) / 1e6;
    at = next;
  }
  return CpuTime{fields[0], fields[1]};
}

}  // namespace gs::bench
