#pragma once

#include "common/pg_connection.hpp"
#include "common/progress_bar.hpp"
#include "indexer/index_plan.hpp"

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gs::indexer {

struct BuildSettings {
  std::string lock_timeout;
  int retries = 0;
  tools::ProgressBar::Style progress = tools::ProgressBar::Style::off;
};

class PermissionDenied : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class BuildFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Checks ownership of every table that needs an index before building any,
// then builds the plan's missing and invalid indexes one at a time with
// CREATE INDEX CONCURRENTLY on `builder`, while `watcher` polls
// pg_stat_progress_create_index for the display on `progress_out`. A build
// that fails on the lock timeout leaves an invalid index; it is dropped and
// the build retried. Returns the names built.
std::vector<std::string> build_missing(tools::PgConnection &builder, tools::PgConnection &watcher,
                                       const IndexPlan &plan, const BuildSettings &settings,
                                       std::ostream &progress_out);

}  // namespace gs::indexer
