// A page of notes or references through the key index for a caller that
// may not read the key index itself (row security, or no SELECT on the key
// tables; backend/key_index.hpp): the candidates' keys read with the
// extension owner's rights, their rows with the caller's (docs/design.md,
// "The key index under row security").
#pragma once

#include "backend/pg.hpp"
#include "backend/rows_query.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

// Runs a SplitStep::owner_keys shape of a page or an envelope with its
// LIMIT (args.limit): rounds of the next keys in key order, read as the
// owner, then the rows among them the caller's own query returns (policies
// and all), as many as the page still lacks, until it is full or the keys
// run out. The rows are those the app tables' query returns for the same
// caller, row for row: to dest, or, without one, in SPI_tuptable and
// SPI_processed as from one query. Requires an SPI connection.
void run_split_page(Oid schema, const RowsShape &shape, const RowsArgs &args, DestReceiver *dest);

}  // namespace gs::backend
