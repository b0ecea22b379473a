#include "backend/sync_rows.hpp"

#include <optional>

#include "backend/call_args.hpp"
#include "backend/caller_identity.hpp"
#include "backend/fence.hpp"
#include "backend/genres.hpp"
#include "backend/horizon.hpp"
#include "backend/key_index.hpp"
#include "backend/plan_cache.hpp"
#include "backend/rows_query.hpp"
#include "backend/settings.hpp"
#include "backend/stamp_zone.hpp"
#include "core/page_args.hpp"

namespace gs::backend {

namespace {

// Rows stream from the executor straight into the function's result
// tuplestore; the receiver maps them onto the table's row type (which may
// hold dropped columns).
Datum run_page(FunctionCallInfo fcinfo, RowsShape shape, RowsArgs &args) {
  const Oid schema = function_schema(fcinfo);
  guarded([&] { InitMaterializedSRF(fcinfo, 0); });
  spi_connect();
  if (shape.kind == QueryKind::keyset_rows) {
    // Keyset callers may leave the filter to the server; the drop-ins keep
    // the seed's meaning of a NULL array (no genre matches).
    args.genre_ids = filter_genres(schema, args.genre_ids, args.user_id);
    args.horizon = safe_horizon(schema).value;
  }
  choose_rows_access(schema, shape, args);
  DestReceiver *dest = nullptr;
  guarded([&] {
    ReturnSetInfo *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    dest = CreateTuplestoreDestReceiver();
    SetTuplestoreDestReceiverParams(dest, rsinfo->setResult,
                                    rsinfo->econtext->ecxt_per_query_memory, false, rsinfo->setDesc,
                                    "query result does not match the table's row type");
  });
  run_rows_query(schema, shape, args, dest);
  guarded([&] {
    dest->rDestroy(dest);
    SPI_finish();
  });
  return (Datum)0;
}

}  // namespace

// (p_user_id, p_genre_ids, p_after_timestamp, p_limit, p_offset)
Datum offset_page(FunctionCallInfo fcinfo, SyncTable table) {
  require_user_id(PG_ARGISNULL(0));
  require_caller_may_act_for(PG_GETARG_DATUM(0));
  RowsArgs args;
  args.user_id = PG_GETARG_DATUM(0);
  args.genre_ids = genre_ids_arg(fcinfo, 1);
  // The drop-ins return the seed's rows for every argument, so the
  // timestamptz meets the column as in the seed's SQL: under the session
  // TimeZone, next to its daylight-saving transitions too.
  const RowsShape shape{table, QueryKind::offset_rows,
                        PG_ARGISNULL(2) ? BoundKind::none : BoundKind::timestamp, BoundKind::none,
                        BoundType::timestamptz};
  args.after_ts = PG_GETARG_DATUM(2);
  args.limit = resolve_limit(int_arg(fcinfo, 3), max_page_size);
  args.offset = resolve_offset(int_arg(fcinfo, 4));
  return run_page(fcinfo, shape, args);
}

// (p_user_id, p_genre_ids, p_after_timestamp, p_after_id, p_limit,
//  p_until_timestamp, p_until_id)
Datum keyset_page(FunctionCallInfo fcinfo, SyncTable table) {
  require_user_id(PG_ARGISNULL(0));
  require_caller_may_act_for(PG_GETARG_DATUM(0));
  RowsArgs args;
  args.user_id = PG_GETARG_DATUM(0);
  args.genre_ids = genre_ids_arg(fcinfo, 1);
  // The bounds are instants, bound as the stamp zone's wall clock
  // (backend/stamp_zone.hpp): the comparison is the column's own, whatever
  // the session's TimeZone, and still an index condition.
  const RowsShape shape{
      table, QueryKind::keyset_rows,
      classify_bound(!PG_ARGISNULL(2), !PG_ARGISNULL(3), "p_after_timestamp", "p_after_id"),
      classify_bound(!PG_ARGISNULL(5), !PG_ARGISNULL(6), "p_until_timestamp", "p_until_id"),
      BoundType::timestamp};
  if (!PG_ARGISNULL(2))
    args.after_ts = TimestampGetDatum(stamp_zone_wall_clock(PG_GETARG_TIMESTAMPTZ(2)));
  args.after_id = PG_GETARG_DATUM(3);
  args.limit = resolve_limit(int_arg(fcinfo, 4), max_page_size);
  if (!PG_ARGISNULL(5))
    args.until_ts = TimestampGetDatum(stamp_zone_wall_clock(PG_GETARG_TIMESTAMPTZ(5)));
  args.until_id = PG_GETARG_DATUM(6);
  return run_page(fcinfo, shape, args);
}

}  // namespace gs::backend
