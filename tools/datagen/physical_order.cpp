#include "datagen/physical_order.hpp"

#include <cstdio>
#include <cstdlib>

namespace gs::datagen {

std::string_view physical_order_name(PhysicalOrder order) {
  return order == PhysicalOrder::time ? "time" : "shuffled";
}

std::optional<PhysicalOrder> parse_physical_order(std::string_view text) {
  if (text == "shuffled") return PhysicalOrder::shuffled;
  if (text == "time") return PhysicalOrder::time;
  return std::nullopt;
}

std::optional<std::string_view> time_order_key(Table table) {
  switch (table) {
    case Table::user_profile:
    case Table::tune:
    case Table::note:
    case Table::reference: return "last_modified_at, id";
    case Table::playlist: return "last_modified_at, playlist_id";
    case Table::playlist_tune: return "last_modified_at, playlist_ref, tune_ref";
    case Table::genre:
    case Table::user_genre_selection: break;
  }
  return std::nullopt;
}

std::vector<TimeCorrelation> read_time_correlations(tools::PgConnection &conn) {
  std::vector<TimeCorrelation> out;
  for (const Table table : {Table::tune, Table::note, Table::reference}) {
    const std::string name(table_name(table));
    const tools::PgResult stats = conn.exec(
        "SELECT s.correlation FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
        "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname "
        "WHERE c.oid = $1::regclass AND s.attname = 'last_modified_at'",
        {("\"" + name + "\"").c_str()});
    TimeCorrelation row{name, std::nullopt};
    if (stats.rows() == 1 && !stats.is_null(0, 0)) {
      row.correlation = std::strtod(std::string(stats.value(0, 0)).c_str(), nullptr);
    }
    out.push_back(row);
  }
  return out;
}

void print_physical_order(std::ostream &out, PhysicalOrder order,
                          const std::vector<TimeCorrelation> &correlations) {
  out << "physical order: " << physical_order_name(order)
      << "; correlation of last_modified_at with it (pg_stats):";
  for (std::size_t i = 0; i < correlations.size(); ++i) {
    char value[32] = "-";
    if (correlations[i].correlation) {
      std::snprintf(value, sizeof value, "%.3f", *correlations[i].correlation);
    }
    out << (i ? ", " : " ") << correlations[i].table << ' ' << value;
  }
  out << '\n';
}

}  // namespace gs::datagen
