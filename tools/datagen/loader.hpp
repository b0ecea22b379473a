#pragma once

#include "common/pg_connection.hpp"
#include "common/progress_bar.hpp"
#include "datagen/dataset_plan.hpp"
#include "datagen/physical_order.hpp"

#include <map>
#include <stdexcept>
#include <string>

namespace gs::datagen {

// The database is not a valid target (tables missing, or already there with
// --create-schema, or holding rows); exit code 2.
class TargetNotReady : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// With create_schema, none of the app tables may exist yet; without it,
// all must exist and be empty. Throws TargetNotReady.
void check_target(tools::PgConnection &conn, bool create_schema);

struct LoadTimes {
  double copy_seconds = 0;  // the whole transaction, schema and COMMIT included
  double analyze_seconds = 0;
  std::map<std::string, double> table_seconds;  // each table's COPY
  // True when foreign keys were checked by verify_foreign_keys() after the
  // COPYs instead of per row (see foreign_keys.hpp).
  bool foreign_keys_checked_after_load = false;
  double verify_seconds = 0;
};

// Creates the schema when asked and COPYs every table, all in one
// transaction (a failure leaves nothing behind), then ANALYZEs the tables.
// In time order, tables with a last_modified_at are COPYed into a temporary
// table first and written from it sorted (see physical_order.hpp).
// Foreign keys are enforced either way: per row, or for a superuser loading
// tables without triggers of their own, in bulk before COMMIT.
// Throws tools::PgError.
LoadTimes load_dataset(tools::PgConnection &conn, const DatasetPlan &plan, bool create_schema,
                       PhysicalOrder order, tools::ProgressBar &progress);

}  // namespace gs::datagen
