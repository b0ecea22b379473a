#include "backend/sync_rows.hpp"

#include <cstring>
#include <optional>

#include "backend/fence.hpp"
#include "backend/genres.hpp"
#include "backend/plan_cache.hpp"
#include "backend/settings.hpp"
#include "core/page_args.hpp"

namespace gs::backend {

namespace {

// A call's arguments once validated. Datums point into fcinfo's arguments.
struct PageCall {
  RowsShape shape;
  Datum user_id = 0;
  std::optional<Datum> genre_ids;
  Datum after_ts = 0, after_id = 0, until_ts = 0, until_id = 0;
  int limit = 0;
  int offset = 0;
};

std::optional<int> optional_int(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) return std::nullopt;
  return PG_GETARG_INT32(arg);
}

// The genre array, detoasted, after checking its shape. NULL elements need
// no work: `= ANY` never matches them.
std::optional<Datum> genre_ids_arg(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) return std::nullopt;
  ArrayType *array = nullptr;
  guarded([&] { array = PG_GETARG_ARRAYTYPE_P(arg); });
  require_one_dimension(ARR_NDIM(array), "p_genre_ids");
  return PointerGetDatum(array);
}

void set_param(ParamListInfo params, RowsParam which, std::optional<Datum> value, Oid type) {
  ParamExternData &p = params->params[which - 1];
  p.value = value.value_or((Datum) 0);
  p.isnull = !value.has_value();
  p.pflags = PARAM_FLAG_CONST;
  p.ptype = type;
}

std::optional<Datum> if_given(bool given, Datum value) {
  return given ? std::optional<Datum>(value) : std::nullopt;
}

Datum run_page(FunctionCallInfo fcinfo, PageCall &call) {
  const Oid schema = function_schema(fcinfo);
  guarded([&] {
    InitMaterializedSRF(fcinfo, 0);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  });
  // Keyset callers may leave the filter to the server; the drop-ins keep the
  // seed's meaning of a NULL array (no genre matches).
  if (!call.genre_ids && call.shape.paging == Paging::keyset)
    call.genre_ids = user_genres(schema, GenreSource::effective, call.user_id);

  Oid argtypes[rows_param_count] = {UUIDOID, TEXTARRAYOID,   TIMESTAMPTZOID,
                                    UUIDOID, TIMESTAMPTZOID, UUIDOID,
                                    INT4OID, INT4OID};
  SPIPlanPtr plan = kept_plan(schema, query_slot(call.shape), rows_param_count, argtypes,
                              [&] { return rows_query(call.shape, quoted_schema_name(schema)); });
  const bool has_after = call.shape.after != BoundKind::none;
  const bool has_after_id = call.shape.after == BoundKind::timestamp_and_id;
  const bool has_until = call.shape.until != BoundKind::none;
  const bool has_until_id = call.shape.until == BoundKind::timestamp_and_id;

  guarded([&] {
    ParamListInfo params = makeParamList(rows_param_count);
    set_param(params, param_user_id, call.user_id, UUIDOID);
    set_param(params, param_genre_ids, call.genre_ids, TEXTARRAYOID);
    set_param(params, param_after_ts, if_given(has_after, call.after_ts), TIMESTAMPTZOID);
    set_param(params, param_after_id, if_given(has_after_id, call.after_id), UUIDOID);
    set_param(params, param_until_ts, if_given(has_until, call.until_ts), TIMESTAMPTZOID);
    set_param(params, param_until_id, if_given(has_until_id, call.until_id), UUIDOID);
    set_param(params, param_limit, Int32GetDatum(call.limit), INT4OID);
    set_param(params, param_offset, Int32GetDatum(call.offset), INT4OID);

    // Rows stream from the executor straight into the function's result
    // tuplestore; the receiver maps them onto the table's row type (which
    // may hold dropped columns).
    ReturnSetInfo *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    DestReceiver *dest = CreateTuplestoreDestReceiver();
    SetTuplestoreDestReceiverParams(dest, rsinfo->setResult,
                                    rsinfo->econtext->ecxt_per_query_memory, false,
                                    rsinfo->setDesc,
                                    "query result does not match the table's row type");
    SPIExecuteOptions options;
    std::memset(&options, 0, sizeof options);
    options.params = params;
    options.read_only = true;
    options.dest = dest;
    int rc = SPI_execute_plan_extended(plan, &options);
    if (rc < 0) elog(ERROR, "sync query failed: %s", SPI_result_code_string(rc));
    dest->rDestroy(dest);
    SPI_finish();
  });
  return (Datum) 0;
}

}  // namespace

// (p_user_id, p_genre_ids, p_after_timestamp, p_limit, p_offset)
Datum offset_page(FunctionCallInfo fcinfo, SyncTable table) {
  PageCall call;
  require_user_id(PG_ARGISNULL(0));
  call.user_id = PG_GETARG_DATUM(0);
  call.genre_ids = genre_ids_arg(fcinfo, 1);
  call.shape = {table, Paging::offset,
                PG_ARGISNULL(2) ? BoundKind::none : BoundKind::timestamp, BoundKind::none};
  call.after_ts = PG_GETARG_DATUM(2);
  call.limit = resolve_limit(optional_int(fcinfo, 3), max_page_size);
  call.offset = resolve_offset(optional_int(fcinfo, 4));
  return run_page(fcinfo, call);
}

// (p_user_id, p_genre_ids, p_after_timestamp, p_after_id, p_limit,
//  p_until_timestamp, p_until_id)
Datum keyset_page(FunctionCallInfo fcinfo, SyncTable table) {
  PageCall call;
  require_user_id(PG_ARGISNULL(0));
  call.user_id = PG_GETARG_DATUM(0);
  call.genre_ids = genre_ids_arg(fcinfo, 1);
  call.shape = {table, Paging::keyset,
                classify_bound(!PG_ARGISNULL(2), !PG_ARGISNULL(3), "p_after_timestamp",
                               "p_after_id"),
                classify_bound(!PG_ARGISNULL(5), !PG_ARGISNULL(6), "p_until_timestamp",
                               "p_until_id")};
  call.after_ts = PG_GETARG_DATUM(2);
  call.after_id = PG_GETARG_DATUM(3);
  call.limit = resolve_limit(optional_int(fcinfo, 4), max_page_size);
  call.until_ts = PG_GETARG_DATUM(5);
  call.until_id = PG_GETARG_DATUM(6);
  return run_page(fcinfo, call);
}

}  // namespace gs::backend
