#include "backend/pull.hpp"

#include <climits>
#include <cstdio>
#include <optional>
#include <string>

extern "C" {
#include "utils/json.h"
#include "utils/jsonb.h"
}

#include "backend/call_args.hpp"
#include "backend/cursor_args.hpp"
#include "backend/fence.hpp"
#include "backend/genres.hpp"
#include "backend/horizon.hpp"
#include "backend/key_index.hpp"
#include "backend/jsonb_object.hpp"
#include "backend/plan_cache.hpp"
#include "backend/rows_query.hpp"
#include "backend/settings.hpp"
#include "core/error.hpp"
#include "core/page_args.hpp"

namespace gs::backend {

namespace {

// The two cursor bounds of a range, as shape and arguments.
void set_range(RowsShape &shape, RowsArgs &args, const std::optional<Cursor> &after,
               const std::optional<Cursor> &until) {
  shape.bound_type = BoundType::timestamp;
  shape.after = after ? BoundKind::timestamp_and_id : BoundKind::none;
  shape.until = until ? BoundKind::timestamp_and_id : BoundKind::none;
  if (after) {
    args.after_ts = cursor_timestamp(*after);
    args.after_id = cursor_id(*after);
  }
  if (until) {
    args.until_ts = cursor_timestamp(*until);
    args.until_id = cursor_id(*until);
  }
}

struct NormalizedGenres {
  Datum array;
  const char *hash;
};

NormalizedGenres normalize_genres(Oid schema, Datum genres) {
  Oid argtypes[] = {TEXTARRAYOID};
  SPIPlanPtr plan = kept_plan(schema, genre_normalize_slot, 1, argtypes,
                              [] { return genres_normalize_query(); });
  NormalizedGenres result{};
  guarded([&] {
    Datum values[] = {genres};
    if (SPI_execute_plan(plan, values, nullptr, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
      elog(ERROR, "normalizing the genres failed");
    bool isnull = false;
    result.array = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
    result.hash = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
  });
  return result;
}

// The envelope query's rows (each row's jsonb, last_modified_at, id), up to
// one past the page; they stay in SPI_tuptable until SPI_finish().
struct PageRows {
  uint64 count = 0;  // of the page
  bool has_more = false;
  std::optional<Timestamp> last_ts;
  const pg_uuid_t *last_id = nullptr;
};

PageRows read_page_rows(int page_size) {
  PageRows page;
  guarded([&] {
    page.has_more = SPI_processed > static_cast<uint64>(page_size);
    page.count = page.has_more ? static_cast<uint64>(page_size) : SPI_processed;
    if (page.count > 0) {
      HeapTuple last = SPI_tuptable->vals[page.count - 1];
      bool isnull = false;
      page.last_ts = DatumGetTimestamp(SPI_getbinval(last, SPI_tuptable->tupdesc, 2, &isnull));
      page.last_id = DatumGetUUIDP(SPI_getbinval(last, SPI_tuptable->tupdesc, 3, &isnull));
    }
  });
  return page;
}

}  // namespace

// (p_table, p_user_id, p_genre_ids, p_cursor, p_limit, p_until)
Datum pull_function(FunctionCallInfo fcinfo) {
  const TableUserGenres call = table_user_genres_args(fcinfo);
  const SyncTable table = call.table;
  const std::optional<Datum> &given_genres = call.genre_ids;
  RowsArgs args;
  args.user_id = call.user_id;
  const auto cursor_text = text_arg(fcinfo, 3);
  const auto after = cursor_arg(fcinfo, 3, "p_cursor");
  const int page_size =
      resolve_limit(int_arg(fcinfo, 4), max_page_size);
  const auto until_text = text_arg(fcinfo, 5);
  const auto until = cursor_arg(fcinfo, 5, "p_until");

  RowsShape shape{table, QueryKind::envelope, BoundKind::none, BoundKind::none};
  set_range(shape, args, after, until);
  // One row past the page tells has_more; at INT_MAX there is no room for it.
  args.limit = page_size < INT_MAX ? page_size + 1 : INT_MAX;

  const Oid schema = function_schema(fcinfo);
  // The envelope is written here, not copied out of SPI's memory: it is as
  // big as the page's rows.
  MemoryContext result_context = CurrentMemoryContext;
  spi_connect();
  const NormalizedGenres genres =
      normalize_genres(schema, filter_genres(schema, given_genres, args.user_id));
  args.genre_ids = genres.array;
  const Horizon horizon = safe_horizon(schema);
  args.horizon = horizon.value;
  choose_rows_access(schema, shape, args);
  run_rows_query(schema, shape, args, nullptr);
  const PageRows page = read_page_rows(page_size);

  // Without rows the position stays where it was.
  std::string next_cursor;
  if (page.last_ts)
    next_cursor = format_cursor(row_cursor(*page.last_ts, page.last_id));
  else if (cursor_text)
    next_cursor = format_cursor(*after);
  const char *next = next_cursor.empty() ? nullptr : next_cursor.c_str();
  const char *cursor = cursor_text ? cursor_text->c_str() : nullptr;
  const char *until_cursor = until_text ? until_text->c_str() : nullptr;
  // The position of the horizon, for bounding the rest of a pull with p_until
  // (rows at the horizon itself are not returned until it moves past them).
  std::string horizon_cursor;
  if (horizon.value) {
    Cursor at_horizon;
    at_horizon.unix_micros = *horizon.value + postgres_epoch_unix_micros;
    at_horizon.id.fill(0xff);
    horizon_cursor = format_cursor(at_horizon);
  }

  Datum result = (Datum) 0;
  guarded([&] {
    JsonbObject envelope;
    envelope.add_string("table", table_name(table));
    envelope.begin_array("rows");
    for (uint64 i = 0; i < page.count; ++i) {
      bool isnull = false;
      envelope.add_element(
          DatumGetJsonbP(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)));
    }
    envelope.end_array();
    envelope.add_int("row_count", static_cast<int64>(page.count));
    envelope.add_bool("has_more", page.has_more);
    envelope.add_string("next_cursor", next);
    envelope.add_string("cursor", cursor);
    envelope.add_string("until", until_cursor);
    envelope.add_string("horizon",
                        horizon.value ? JsonEncodeDateTime(nullptr, TimestampGetDatum(*horizon.value),
                                                           TIMESTAMPOID, nullptr)
                                      : nullptr);
    envelope.add_string("horizon_cursor", horizon.value ? horizon_cursor.c_str() : nullptr);
    envelope.add_string("horizon_source", horizon.source);
    envelope.add_string("horizon_reason", horizon.reason);
    envelope.add_string_array("genres", DatumGetArrayTypeP(genres.array));
    envelope.add_string("genres_hash", genres.hash);
    MemoryContext spi_context = MemoryContextSwitchTo(result_context);
    result = JsonbPGetDatum(envelope.finish());
    MemoryContextSwitchTo(spi_context);
    SPI_finish();
  });
  PG_RETURN_DATUM(result);
}

// (p_table, p_user_id, p_genre_ids, p_after, p_until) -> (row_count, checksum)
Datum range_checksum_function(FunctionCallInfo fcinfo) {
  const TableUserGenres call = table_user_genres_args(fcinfo);
  const SyncTable table = call.table;
  const std::optional<Datum> &given_genres = call.genre_ids;
  RowsArgs args;
  args.user_id = call.user_id;
  RowsShape shape{table, QueryKind::checksum, BoundKind::none, BoundKind::none};
  set_range(shape, args, cursor_arg(fcinfo, 3, "p_after"), cursor_arg(fcinfo, 4, "p_until"));

  const Oid schema = function_schema(fcinfo);
  spi_connect();
  args.genre_ids = filter_genres(schema, given_genres, args.user_id);
  run_rows_query(schema, shape, args, nullptr);
  int64 count = 0;
  const char *sum = nullptr;
  guarded([&] {
    bool isnull = false;
    count = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
    sum = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
  });
  char checksum[17];
  std::snprintf(checksum, sizeof checksum, "%016llx", std::stoull(sum));

  Datum result = (Datum) 0;
  guarded([&] {
    TupleDesc desc = nullptr;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
      elog(ERROR, "sync_range_checksum must return a record");
    desc = BlessTupleDesc(desc);
    Datum values[] = {Int64GetDatum(count), CStringGetTextDatum(checksum)};
    bool nulls[] = {false, false};
    result = SPI_datumTransfer(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)), false, -1);
    SPI_finish();
  });
  PG_RETURN_DATUM(result);
}

}  // namespace gs::backend
