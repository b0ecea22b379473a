#include "indexer/index_plan.hpp"

#include <string_view>

namespace gs::indexer {

Action action_for(const RequiredIndex &index) {
  if (index.valid) {
    return Action::keep;
  }
  return index.present ? Action::rebuild : Action::build;
}

const char *action_name(Action action) {
  switch (action) {
    case Action::keep: return "present";
    case Action::build: return "build";
    case Action::rebuild: return "rebuild";
  }
  return "?";
}

std::string concurrent_definition(const std::string &definition) {
  constexpr std::string_view prefix = "CREATE INDEX ";
  if (!definition.starts_with(prefix) || definition.starts_with("CREATE INDEX CONCURRENTLY")) {
    throw std::invalid_argument("not a plain CREATE INDEX statement: " + definition);
  }
  return "CREATE INDEX CONCURRENTLY " + definition.substr(prefix.size());
}

IndexPlan read_plan(tools::PgConnection &conn) {
  const tools::PgResult schema = conn.exec(
      "SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_extension e "
      "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'genre_sync'");
  if (schema.rows() != 1) {
    throw ExtensionMissing("the genre_sync extension is not installed in this database");
  }
  IndexPlan plan;
  plan.schema = schema.value(0, 0);
  const tools::PgResult rows =
      conn.exec("SELECT table_name, index_name, definition, present, valid, existing_index FROM " +
                plan.schema + ".sync_required_indexes()");
  for (int row = 0; row < rows.rows(); ++row) {
    RequiredIndex index;
    index.table_name = rows.value(row, 0);
    index.index_name = rows.value(row, 1);
    index.definition = rows.value(row, 2);
    index.present = rows.value(row, 3) == "t";
    index.valid = rows.value(row, 4) == "t";
    index.existing_index = rows.value(row, 5);
    plan.indexes.push_back(std::move(index));
  }
  return plan;
}

void print_plan(std::ostream &out, const IndexPlan &plan) {
  for (const RequiredIndex &index : plan.indexes) {
    const Action action = action_for(index);
    out << action_name(action) << '\t' << index.index_name;
    if (action == Action::keep && index.existing_index != index.index_name) {
      out << " (as " << index.existing_index << ")";
    }
    if (action == Action::rebuild) {
      out << " (invalid: " << index.existing_index << ")";
    }
    out << "\n\t"
        << (action == Action::keep ? index.definition : concurrent_definition(index.definition))
        << '\n';
  }
}

}  // namespace gs::indexer
