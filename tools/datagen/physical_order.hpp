#pragma once

#include "common/pg_connection.hpp"
#include "datagen/tables.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gs::datagen {

// How the loaded rows sit on disk relative to last_modified_at.
//  - shuffled: in the order generated. Ids are hashed from the row index and
//    timestamps drawn independently of it, so the heap order is uncorrelated
//    with last_modified_at (pg_stats.correlation near 0), as in a table after
//    years of updates or a bulk import. The default, and the only layout
//    before --physical-order existed.
//  - time: every table with a last_modified_at is written in
//    (last_modified_at, key) order (correlation near 1), as in an
//    append-only table that nothing ever updates.
// The rows are the same either way; only their order on disk differs.
enum class PhysicalOrder { shuffled, time };

std::string_view physical_order_name(PhysicalOrder order);
// "shuffled" or "time"; nullopt for anything else.
std::optional<PhysicalOrder> parse_physical_order(std::string_view text);

// The ORDER BY that writes `table` in time order; nullopt for tables
// without a last_modified_at (genre, user_genre_selection), which keep
// the generated order.
std::optional<std::string_view> time_order_key(Table table);

// pg_stats.correlation of last_modified_at after ANALYZE; nullopt when the
// table has no statistics for it (no rows).
struct TimeCorrelation {
  std::string table;
  std::optional<double> correlation;
};

// The synced tables' correlations (tune, note, reference), read from pg_stats.
std::vector<TimeCorrelation> read_time_correlations(tools::PgConnection &conn);

// "physical order: time; correlation of last_modified_at with it (pg_stats): ..."
void print_physical_order(std::ostream &out, PhysicalOrder order,
                          const std::vector<TimeCorrelation> &correlations);

}  // namespace gs::datagen
