#include "backend/partition_bounds.hpp"

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "backend/call_args.hpp"
#include "backend/cursor_args.hpp"
#include "backend/fence.hpp"
#include "backend/genres.hpp"
#include "backend/horizon.hpp"
#include "backend/key_index.hpp"
#include "backend/plan_cache.hpp"
#include "backend/relation_facts.hpp"
#include "backend/rows_query.hpp"
#include "backend/stamp_zone.hpp"
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
    const std::optional<double> found = class_reltuples(relid);
    if (!found) elog(ERROR, "cache lookup failed for relation %u", relid);
    rows = *found;
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
  // The keys' instants in the stamp zone: passed back to the page functions,
  // they name the same column values from any session TimeZone.
  TimestampTz after_instant;
  TimestampTz until_instant;
};

// A cursor's last_modified_at as the instant it names in the stamp zone.
TimestampTz key_instant(const Cursor &key) {
  return stamp_zone_instant(key.unix_micros - postgres_epoch_unix_micros);
}

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
  args.parts =
      parts_or_default(PG_ARGISNULL(3) ? std::nullopt : std::optional<int>(PG_GETARG_INT32(3)));
  const bool has_after = !PG_ARGISNULL(4);
  // Returned as given where the first part starts at it.
  const Datum given_after = PG_GETARG_DATUM(4);

  // p_after_timestamp is an instant, cut at and bound as the stamp zone's
  // wall clock, as the page functions take it (backend/stamp_zone.hpp).
  std::optional<std::int64_t> after_local;
  if (has_after) {
    const Timestamp local = stamp_zone_wall_clock(DatumGetTimestampTz(given_after));
    args.after_ts = TimestampGetDatum(local);
    after_local = cursor_unix_micros(local, "p_after_timestamp");
  }
  const Oid schema = function_schema(fcinfo);
  SamplePlan sample = plan_sample(estimated_table_rows(schema, table), args.parts);
  guarded([&] { InitMaterializedSRF(fcinfo, 0); });
  spi_connect();
  const NormalizedGenres genres =
      normalize_genres(filter_genres(schema, given_genres, args.user_id));
  args.genre_ids = genres.array;
  const Horizon horizon = safe_horizon(schema);
  args.horizon = horizon.value;
  const BoundKind after = has_after ? BoundKind::timestamp : BoundKind::none;
  // The key index holds every row's key and filter: neither the rows nor
  // their tunes need reading, and the sample is of the narrow key table.
  const RowsAccess access =
      keys_serve(schema, table) ? RowsAccess::keys_by_time : RowsAccess::app_tables;
  std::vector<PartSample> groups;
  if (sample.sampled) {
    args.sample_percent = static_cast<float>(sample.percent);
    run_rows_query(
        schema,
        {table, QueryKind::bounds_sampled, after, BoundKind::none, BoundType::timestamp, access},
        args, nullptr);
    groups = read_groups();
    // Too few of the user's rows in the sample to cut by evenly: the user
    // has a small share of the table, so reading their rows whole costs
    // about what a sample big enough would.
    if (total_rows(groups) < min_sampled_rows_per_part * args.parts) sample = {false, 100};
  }
  if (!sample.sampled) {
    run_rows_query(schema,
                   {table, QueryKind::bounds, after, BoundKind::none, BoundType::timestamp, access},
                   args, nullptr);
    groups = read_groups();
  }

  // Each part's after_cursor is a v2 cursor for sync_pull: a replica that
  // holds the rows of the current filter up to the part's start, a first
  // sync's (no deleted tunes) unless p_after_timestamp was given, with the
  // moves up to the horizon seen. A position given by timestamp alone starts
  // after every id of that timestamp.
  SyncState part_state;
  part_state.genres = genre_list(genres.array);
  part_state.first_sync = !has_after;
  std::vector<BoundsRow> rows;
  for (const PartRange &range : plan_ranges(groups, args.parts, sample.percent, after_local)) {
    std::string after_cursor;
    if (range.after) {
      Cursor position = range.after->key;
      if (!range.after->has_id) position.id.fill(0xff);
      part_state.position = position;
      part_state.moves_seen =
          horizon.value ? *horizon.value + postgres_epoch_unix_micros : position.unix_micros;
      after_cursor = format_sync_state(part_state);
    }
    // The caller's own timestamp where the first part starts after it.
    const TimestampTz after_instant = !range.after          ? 0
                                      : range.after->has_id ? key_instant(range.after->key)
                                                            : DatumGetTimestampTz(given_after);
    rows.push_back({range, after_cursor, range.until ? format_cursor(*range.until) : std::string(),
                    after_instant, range.until ? key_instant(*range.until) : 0});
  }

  guarded([&] {
    ReturnSetInfo *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    for (const BoundsRow &row : rows) {
      const PartRange &range = row.range;
      Datum values[8] = {};
      bool nulls[8] = {false,        !range.after, !range.after || !range.after->has_id,
                       !range.until, !range.until, !range.after,
                       !range.until, false};
      values[0] = Int32GetDatum(range.part);
      if (range.after) {
        values[1] = TimestampTzGetDatum(row.after_instant);
        if (range.after->has_id) values[2] = cursor_id(range.after->key);
        values[5] = CStringGetTextDatum(row.after_cursor.c_str());
      }
      if (range.until) {
        values[3] = TimestampTzGetDatum(row.until_instant);
        values[4] = cursor_id(*range.until);
        values[6] = CStringGetTextDatum(row.until_cursor.c_str());
      }
      values[7] = Int64GetDatum(range.estimated_rows);
      tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    SPI_finish();
  });
  return (Datum)0;
}

}  // namespace gs::backend
