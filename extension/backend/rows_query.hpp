// Running a rows query shape (core/sync_query.hpp) through its kept plan.
#pragma once

#include <optional>

#include "backend/pg.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

// The values of a shape's parameters; a shape reads only the ones it names.
struct RowsArgs {
  Datum user_id = 0;
  std::optional<Datum> genre_ids;  // nullopt: SQL NULL, matches no genre
  Datum after_ts = 0, after_id = 0, until_ts = 0, until_id = 0;
  int limit = 0;
  int offset = 0;
  std::optional<Timestamp> horizon;  // nullopt: unknown, so no row qualifies
  int parts = 1;
  float sample_percent = 100;
  // A filter change (QueryKind::change): uuid[] and text[] values.
  std::optional<Datum> change_genres, moved_tunes, seen_tunes, moved_rows, seen_rows;
  std::optional<Datum> candidate_ids;  // SplitStep::caller_rows: uuid[]
};

// Requires an SPI connection. Rows go to dest, or to SPI_tuptable when dest
// is nullptr. A SplitStep::owner_keys shape runs as a split page
// (backend/caller_keys.hpp).
void run_rows_query(Oid schema, const RowsShape &shape, const RowsArgs &args, DestReceiver *dest);

// The shape's one query, with the current user's rights: run_rows_query,
// and each step of a split page.
void run_rows_step(Oid schema, const RowsShape &shape, const RowsArgs &args, DestReceiver *dest);

}  // namespace gs::backend
