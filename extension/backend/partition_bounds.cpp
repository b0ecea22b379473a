#include "backend/partition_bounds.hpp"

#include <cstring>
#include <optional>
#include <string>
#include <vector>

extern "C" {
#include "catalog/pg_class.h"
#include "utils/fmgrprotos.h"
#include "utils/syscache.h"
}

#include "backend/call_args.hpp"
#include "backend/cursor_args.hpp"
#include "backend/fence.hpp"
#include "backend/genres.hpp"
#include "backend/key_index.hpp"
#include "backend/plan_cache.hpp"
#include "backend/rows_query.hpp"
#include "core/error.hpp"
#include "core/page_args.hpp"
#include "core/partition_plan.hpp"

namespace gs::backend {

namespace {

// The table's size as the planner knows it (no scan).
double estimated_table_rows(Oid schema, SyncTable table) {
  double rows = 0;
  const char *name = table_name(table);
  guarded([&] {
    Oid relid = get_relname_relid(name, schema);
    if (!OidIsValid(relid)) elog(ERROR, "table %s is missing", name);
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tuple)) elog(ERROR, "cache lookup failed for relation %u", relid);
    rows = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple))->reltuples;
    ReleaseSysCache(tuple);
  });
  return rows;
}

// The ntile groups of the last bounds query: row count and last key.
std::vector<PartSample> read_groups() {
  std::vector<PartSample> groups;
  const uint64 count = SPI_processed;
  for (uint64 i = 0; i < count; ++i) {
    int64 rows = 0;
    Timestamp last_ts = 0;
    pg_uuid_t last_id;
    guarded([&] {
      HeapTuple row = SPI_tuptable->vals[i];
      TupleDesc desc = SPI_tuptable->tupdesc;
      bool isnull = false;
      rows = DatumGetInt64(SPI_getbinval(row, desc, 2, &isnull));
      last_ts = DatumGetTimestamp(SPI_getbinval(row, desc, 3, &isnull));
      last_id = *DatumGetUUIDP(SPI_getbinval(row, desc, 4, &isnull));
    });
    groups.push_back({rows, row_cursor(last_ts, &last_id)});
  }
  return groups;
}

std::int64_t total_rows(const std::vector<PartSample> &groups) {
  std::int64_t total = 0;
  for (const PartSample &g : groups) total += g.rows;
  return total;
}

// One output row, with everything that needs C++ already computed.
struct BoundsRow {
  PartRange range;
  std::string after_cursor;
  std::string until_cursor;
};

}  // namespace

// (p_table, p_user_id, p_genre_ids, p_parts, p_after_timestamp) -> part,
// after_timestamp, after_id, until_timestamp, until_id, after_cursor,
// until_cursor, estimated_rows
Datum partition_bounds_function(FunctionCallInfo fcinfo) {
  const TableUserGenres call = table_user_genres_args(fcinfo);
  const SyncTable table = call.table;
  const std::optional<Datum> &given_genres = call.genre_ids;
  RowsArgs args;
  args.user_id = call.user_id;
  args.parts = parts_or_default(PG_ARGISNULL(3) ? std::nullopt : std::optional<int>(PG_GETARG_INT32(3)));
  const bool has_after = !PG_ARGISNULL(4);
  args.after_ts = PG_GETARG_DATUM(4);

  std::optional<std::int64_t> after_local;
  if (has_after) {
    Timestamp local = 0;
    guarded([&] { local = DatumGetTimestamp(DirectFunctionCall1(timestamptz_timestamp, args.after_ts)); });
    if (local > INT64_MAX - postgres_epoch_unix_micros)
      throw Error("22008", "p_after_timestamp is beyond the range of cursors",
                  "Cursors count microseconds from 1970 in 64 bits; +infinity and years past "
                  "294246 do not fit.");
    after_local = local + postgres_epoch_unix_micros;
  }
  const Oid schema = function_schema(fcinfo);
  SamplePlan sample = plan_sample(estimated_table_rows(schema, table), args.parts);
  guarded([&] { InitMaterializedSRF(fcinfo, 0); });
  spi_connect();
  args.genre_ids = filter_genres(schema, given_genres, args.user_id);
  const BoundKind after = has_after ? BoundKind::timestamp : BoundKind::none;
  // The key index holds every row's key and filter: neither the rows nor
  // their tunes need reading, and the sample is of the narrow key table.
  const RowsAccess access = keys_serve(schema, table) ? RowsAccess::keys_by_time : RowsAccess::app_tables;
  std::vector<PartSample> groups;
  if (sample.sampled) {
    args.sample_percent = static_cast<float>(sample.percent);
    run_rows_query(schema, {table, QueryKind::bounds_sampled, after, BoundKind::none, BoundType::timestamptz, access},
                   args, nullptr);
    groups = read_groups();
    // Too few of the user's rows in the sample to cut by evenly: the user
    // has a small share of the table, so reading their rows whole costs
    // about what a sample big enough would.
    if (total_rows(groups) < min_sampled_rows_per_part * args.parts) sample = {false, 100};
  }
  if (!sample.sampled) {
    run_rows_query(schema, {table, QueryKind::bounds, after, BoundKind::none, BoundType::timestamptz, access},
                   args, nullptr);
    groups = read_groups();
  }

  std::vector<BoundsRow> rows;
  for (const PartRange &range : plan_ranges(groups, args.parts, sample.percent, after_local))
    rows.push_back({range, range.after ? format_cursor(range.after->key) : std::string(),
                    range.until ? format_cursor(*range.until) : std::string()});

  guarded([&] {
    ReturnSetInfo *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    for (const BoundsRow &row : rows) {
      const PartRange &range = row.range;
      Datum values[8] = {};
      bool nulls[8] = {false, !range.after, !range.after || !range.after->has_id, !range.until,
                       !range.until, !range.after, !range.until, false};
      values[0] = Int32GetDatum(range.part);
      if (range.after) {
        // The caller's own timestamp where the first part starts after it.
        values[1] = !range.after->has_id
                        ? args.after_ts
                        : DirectFunctionCall1(timestamp_timestamptz,
                                              TimestampGetDatum(range.after->key.unix_micros -
                                                                postgres_epoch_unix_micros));
        if (range.after->has_id) values[2] = cursor_id(range.after->key);
        values[5] = CStringGetTextDatum(row.after_cursor.c_str());
      }
      if (range.until) {
        values[3] = DirectFunctionCall1(
            timestamp_timestamptz,
            TimestampGetDatum(range.until->unix_micros - postgres_epoch_unix_micros));
        values[4] = cursor_id(*range.until);
        values[6] = CStringGetTextDatum(row.until_cursor.c_str());
      }
      values[7] = Int64GetDatum(range.estimated_rows);
      tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    SPI_finish();
  });
  return (Datum) 0;
}

}  // namespace gs::backend
