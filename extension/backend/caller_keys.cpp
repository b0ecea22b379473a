#include "backend/caller_keys.hpp"

#include <climits>
#include <stdexcept>
#include <vector>

#include "backend/fence.hpp"
#include "backend/owner_rights.hpp"

namespace gs::backend {

namespace {

// One round's keys, as the rows' query's candidates, and the last of them.
struct Candidates {
  Datum ids = 0;  // uuid[]
  uint64 count = 0;
  Timestamp last_ts = 0;
  Datum last_id = 0;
};

// The keys query's result in SPI_tuptable, read and freed. PostgreSQL
// calls: runs inside guarded().
Candidates take_candidates() {
  Candidates keys;
  keys.count = SPI_processed;
  Datum *ids = static_cast<Datum *>(palloc(sizeof(Datum) * (keys.count + 1)));
  for (uint64 i = 0; i < keys.count; ++i) {
    bool isnull = false;
    const HeapTuple key = SPI_tuptable->vals[i];
    ids[i] = SPI_getbinval(key, SPI_tuptable->tupdesc, 2, &isnull);
    if (i + 1 == keys.count) {
      keys.last_ts = DatumGetTimestamp(SPI_getbinval(key, SPI_tuptable->tupdesc, 1, &isnull));
      pg_uuid_t *last = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
      *last = *DatumGetUUIDP(ids[i]);
      keys.last_id = UUIDPGetDatum(last);
    }
  }
  // construct_array copies the ids out of the result before it is freed.
  keys.ids = PointerGetDatum(
      construct_array(ids, static_cast<int>(keys.count), UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
  SPI_freetuptable(SPI_tuptable);
  return keys;
}

// The rows of every round, each round's in its own SPI_tuptable, as one
// result: SPI_tuptable (the last round's) holding them all, in order.
void join_results(const std::vector<SPITupleTable *> &rounds) {
  uint64 total = 0;
  for (const SPITupleTable *round : rounds) total += round->numvals;
  guarded([&] {
    SPITupleTable *last = rounds.back();
    HeapTuple *vals =
        static_cast<HeapTuple *>(MemoryContextAlloc(last->tuptabcxt, sizeof(HeapTuple) * total));
    uint64 n = 0;
    for (const SPITupleTable *round : rounds)
      for (uint64 i = 0; i < round->numvals; ++i) vals[n++] = round->vals[i];
    last->vals = vals;
    last->numvals = last->alloced = total;
    SPI_tuptable = last;
    SPI_processed = total;
  });
}

}  // namespace

void run_split_page(Oid schema, const RowsShape &shape, const RowsArgs &args, DestReceiver *dest) {
  if (shape.split != SplitStep::owner_keys ||
      (shape.kind != QueryKind::keyset_rows && shape.kind != QueryKind::envelope) ||
      args.limit <= 0)
    throw std::logic_error("a split page runs from the owner's keys, with a LIMIT");
  RowsShape keys_shape = shape;
  RowsArgs keys_args = args;
  RowsShape rows_shape = shape;
  rows_shape.access = RowsAccess::app_tables;
  rows_shape.genre_streams = 0;
  rows_shape.split = SplitStep::caller_rows;
  RowsArgs rows_args = args;

  std::vector<SPITupleTable *> rounds;
  int wanted = args.limit;
  // The first round reads as many keys as the page has rows; a round whose
  // candidates the caller does not all see reads twice as many next time.
  int batch = args.limit;
  while (true) {
    guarded([] { CHECK_FOR_INTERRUPTS(); });
    keys_args.limit = batch;
    Candidates keys;
    as_owner_of(schema, key_table_name(shape.table), [&] {
      run_rows_step(schema, keys_shape, keys_args, nullptr);
      guarded([&] { keys = take_candidates(); });
    });
    // Run even without candidates: the caller's privileges on the app
    // tables are checked as for the app tables' query.
    rows_args.candidate_ids = keys.ids;
    rows_args.limit = wanted;
    run_rows_step(schema, rows_shape, rows_args, dest);
    if (dest == nullptr && SPI_tuptable != nullptr) rounds.push_back(SPI_tuptable);
    wanted -= static_cast<int>(SPI_processed);
    if (wanted <= 0 || keys.count < static_cast<uint64>(batch)) break;
    // The next round's keys follow this round's last key.
    keys_shape.after = BoundKind::timestamp_and_id;
    keys_args.after_ts = TimestampGetDatum(keys.last_ts);
    keys_args.after_id = keys.last_id;
    batch = batch > INT_MAX / 2 ? INT_MAX : batch * 2;
  }
  if (rounds.size() > 1) join_results(rounds);
}

}  // namespace gs::backend
