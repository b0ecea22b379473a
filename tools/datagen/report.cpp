#include "datagen/report.hpp"

#include "datagen/genre_catalog.hpp"
#include "datagen/tables.hpp"

#include "core/sync_query.hpp"

#include <cstdio>
#include <cstdlib>

namespace gs::datagen {
namespace {

// The user's effective genres (docs/design.md) by the extension's own query
// (core/sync_query.hpp), on the app tables the connection's search_path
// finds first, joined by commas.
std::string effective_genres_sql(const std::string &quoted_schema) {
  return "SELECT pg_catalog.array_to_string((" +
         genres_query(GenreSource::effective, quoted_schema) + "), ',')";
}

// The seed RPCs' filter (first sync: no timestamp), as counts.
constexpr const char *sync_counts_sql = R"sql(
WITH args AS (SELECT $1::uuid AS u, string_to_array($2, ',') AS g)
SELECT
  (SELECT count(*) FROM tune t, args
    WHERE ((t.genre = ANY(args.g) AND t.private_for IS NULL) OR t.private_for = args.u)
      AND t.deleted = false),
  (SELECT count(*) FROM note n JOIN tune t ON n.tune_ref = t.id, args
    WHERE ((t.genre = ANY(args.g) AND t.private_for IS NULL) OR t.private_for = args.u)
      AND (n.user_ref IS NULL OR n.user_ref = args.u) AND t.deleted = false),
  (SELECT count(*) FROM reference r JOIN tune t ON r.tune_ref = t.id, args
    WHERE ((t.genre = ANY(args.g) AND t.private_for IS NULL) OR t.private_for = args.u)
      AND (r.user_ref IS NULL OR r.user_ref = args.u) AND t.deleted = false)
)sql";

long long to_count(std::string_view text) {
  return std::strtoll(std::string(text).c_str(), nullptr, 10);
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const auto comma = text.find(',');
    parts.emplace_back(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return parts;
}

std::string with_separators(long long value) {
  std::string digits = std::to_string(value);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return digits;
}

}  // namespace

std::vector<TableCount> count_tables(tools::PgConnection &conn) {
  std::vector<TableCount> counts;
  for (const std::string_view table : app_tables) {
    const std::string name(table);
    counts.push_back(
        {name, to_count(conn.exec("SELECT count(*) FROM \"" + name + "\"").value(0, 0))});
  }
  return counts;
}

NamedUserReport named_user_report(tools::PgConnection &conn, const std::string &name) {
  NamedUserReport report;
  report.name = name;
  const tools::PgResult user = conn.exec(
      "SELECT u.id, pg_catalog.quote_ident(pg_catalog.current_schema()) FROM user_profile u"
      " WHERE u.name = $1",
      {name.c_str()});
  if (user.rows() != 1) {
    throw tools::PgError("named user '" + name + "' not found in user_profile");
  }
  report.id = user.value(0, 0);
  const std::string genres(
      conn.exec(effective_genres_sql(std::string(user.value(0, 1))), {report.id.c_str()})
          .value(0, 0));
  report.genres = split_commas(genres);
  const tools::PgResult counts = conn.exec(sync_counts_sql, {report.id.c_str(), genres.c_str()});
  report.tunes = to_count(counts.value(0, 0));
  report.notes = to_count(counts.value(0, 1));
  report.references = to_count(counts.value(0, 2));
  return report;
}

void print_table_counts(std::ostream &out, const std::vector<TableCount> &counts,
                        const std::map<std::string, double> &seconds) {
  long long total = 0;
  double total_seconds = 0;
  char line[96];
  std::snprintf(line, sizeof line, "  %-22s %12s %10s\n", "table", "rows", "COPY s");
  out << line;
  for (const auto &count : counts) {
    const auto timed = seconds.find(count.table);
    char copy_seconds[32] = "-";
    if (timed != seconds.end()) {
      std::snprintf(copy_seconds, sizeof copy_seconds, "%.2f", timed->second);
      total_seconds += timed->second;
    }
    std::snprintf(line, sizeof line, "  %-22s %12s %10s\n", count.table.c_str(),
                  with_separators(count.rows).c_str(), copy_seconds);
    out << line;
    total += count.rows;
  }
  std::snprintf(line, sizeof line, "  %-22s %12s %10.2f\n", "total", with_separators(total).c_str(),
                total_seconds);
  out << line;
}

void print_named_user(std::ostream &out, const NamedUserReport &user) {
  out << "  " << user.name << "  " << user.id << '\n';
  out << "    effective genres (" << user.genres.size() << "): ";
  if (user.genres.size() == genre_count) {
    out << "all";
  } else {
    for (std::size_t i = 0; i < user.genres.size(); ++i) {
      out << (i ? "," : "") << user.genres[i];
    }
  }
  out << '\n';
  out << "    first sync: " << with_separators(user.tunes) << " tunes, "
      << with_separators(user.notes) << " notes, " << with_separators(user.references)
      << " references (" << with_separators(user.tunes + user.notes + user.references)
      << " rows)\n";
}

}  // namespace gs::datagen
