#pragma once
// The physical layout of a database's synced tables: how well their heap
// order follows last_modified_at (pg_stats.correlation after ANALYZE). The
// bench measures it instead of trusting how the data was loaded.
#include <optional>
#include <string>
#include <vector>

#include "common/pg_connection.hpp"

namespace gs::bench {

struct TableCorrelation {
  std::string table;                  // tune, note, reference
  std::optional<double> correlation;  // none: no statistics (run ANALYZE)
};

struct Layout {
  std::string name;  // "time order", "shuffled", "mixed", "unknown"
  std::vector<TableCorrelation> correlations;
};

// "time order" when every table's correlation is above 0.9, "shuffled" when
// every one is within +-0.1, "unknown" when one has no statistics, else
// "mixed". Pure, for the tests.
std::string classify_layout(const std::vector<TableCorrelation> &correlations);

Layout read_layout(tools::PgConnection &conn);

// "tune 0.998, note 0.997, reference 0.999"
std::string correlations_text(const Layout &layout);

}  // namespace gs::bench
