#include "layout.hpp"

#include <cmath>
#include <cstdlib>

#include "text_table.hpp"

namespace gs::bench {

std::string classify_layout(const std::vector<TableCorrelation> &correlations) {
  bool time = true, shuffled = true;
  for (const auto &c : correlations) {
    if (!c.correlation) return "unknown";
    time = time && *c.correlation > 0.9;
    shuffled = shuffled && std::fabs(*c.correlation) < 0.1;
  }
  if (correlations.empty()) return "unknown";
  return time ? "time order" : shuffled ? "shuffled" : "mixed";
}

Layout read_layout(tools::PgConnection &conn) {
  Layout layout;
  for (const char *table : {"tune", "note", "reference"}) {
    auto res = conn.exec(
        "SELECT correlation FROM pg_stats WHERE schemaname = 'public' AND tablename = $1 "
        "AND attname = 'last_modified_at'",
        {table});
    TableCorrelation c{table, std::nullopt};
    if (res.rows() == 1 && !res.is_null(0, 0))
      c.correlation = std::strtod(std::string(res.value(0, 0)).c_str(), nullptr);
    layout.correlations.push_back(c);
  }
  layout.name = classify_layout(layout.correlations);
  return layout;
}

std::string correlations_text(const Layout &layout) {
  std::string out;
  for (const auto &c : layout.correlations) {
    if (!out.empty()) out += ", ";
    out += c.table + " " + (c.correlation ? fixed(*c.correlation, 3) : std::string("-"));
  }
  return out;
}

}  // namespace gs::bench
