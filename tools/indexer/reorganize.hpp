#pragma once

#include "common/pg_connection.hpp"
#include "common/progress_bar.hpp"

#include <atomic>
#include <ostream>
#include <string>

namespace gs::indexer {

struct ReorganizeSettings {
  int batch_rows = 10000;
  tools::ProgressBar::Style progress = tools::ProgressBar::Style::off;
};

// What one table's run did.
struct ReorganizeResult {
  long long rows = 0;  // rows rewritten by this run (a resumed run: since it resumed)
  long long pages_before = 0;
  long long pages_after = 0;
  long long wal_bytes = 0;
  double seconds = 0;
  bool interrupted = false;
};

// Rewrites `table` (note, reference or tune of the extension's schema
// `schema`) in (last_modified_at, id) order with sync_reorganize_step() on
// `writer`, one batch per transaction, while `holder` keeps a snapshot open
// so that the versions left behind cannot be pruned and the moved rows are
// appended in order (see extension/sql/1.2--1.3/60_reorganize.sql). Resumes
// an unfinished run. Stops after the current batch once `stop` is set. Ends
// with VACUUM ANALYZE of the table (the old pages become free space).
ReorganizeResult reorganize_table(tools::PgConnection &writer, tools::PgConnection &holder,
                                  const std::string &schema, const std::string &table,
                                  const ReorganizeSettings &settings, const std::atomic<bool> &stop,
                                  std::ostream &progress_out);

}  // namespace gs::indexer
