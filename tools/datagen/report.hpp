#pragma once

#include "common/pg_connection.hpp"

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace gs::datagen {

// What one named user should sync, computed by SQL from the loaded tables
// with the seed plan's row filter, so the benchmarks and tests can compare
// the extension against it.
struct NamedUserReport {
  std::string name;
  std::string id;
  std::vector<std::string> genres;  // effective genres, sorted (COLLATE "C")
  long long tunes = 0;
  long long notes = 0;
  long long references = 0;
};

struct TableCount {
  std::string table;
  long long rows = 0;
};

std::vector<TableCount> count_tables(tools::PgConnection &conn);
NamedUserReport named_user_report(tools::PgConnection &conn, const std::string &name);

// One line per table: rows, and the COPY seconds where `seconds` has them.
void print_table_counts(std::ostream &out, const std::vector<TableCount> &counts,
                        const std::map<std::string, double> &seconds);
void print_named_user(std::ostream &out, const NamedUserReport &user);

}  // namespace gs::datagen
