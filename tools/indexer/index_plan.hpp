#pragma once

#include "common/pg_connection.hpp"

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gs::indexer {

enum class Action {
  keep,     // an equivalent valid index exists (any name)
  build,    // nothing equivalent exists
  rebuild,  // only an invalid equivalent exists: drop our leftover, build again
};

// One row of the extension's sync_required_indexes().
struct RequiredIndex {
  std::string table_name;
  std::string index_name;
  std::string definition;
  bool present = false;
  bool valid = false;
  std::string existing_index;  // empty when nothing equivalent exists
};

struct IndexPlan {
  std::string schema;  // the extension's schema, quoted for SQL
  std::vector<RequiredIndex> indexes;
};

class ExtensionMissing : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Action action_for(const RequiredIndex &index);
const char *action_name(Action action);

// The extension's definition turned into its live form. Throws
// std::invalid_argument when it is not a plain CREATE INDEX statement.
std::string concurrent_definition(const std::string &definition);

// Reads sync_required_indexes() from the extension's schema; throws
// ExtensionMissing when genre_sync is not installed in this database.
IndexPlan read_plan(tools::PgConnection &conn);

void print_plan(std::ostream &out, const IndexPlan &plan);

}  // namespace gs::indexer
