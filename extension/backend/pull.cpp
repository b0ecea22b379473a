#include "backend/pull.hpp"

#include <climits>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

extern "C" {
#include "catalog/pg_class.h"
#include "utils/syscache.h"
}

#include "backend/call_args.hpp"
#include "backend/cursor_args.hpp"
#include "backend/envelope.hpp"
#include "backend/fence.hpp"
#include "backend/genres.hpp"
#include "backend/horizon.hpp"
#include "backend/key_index.hpp"
#include "backend/owner_rights.hpp"
#include "backend/plan_cache.hpp"
#include "backend/rows_query.hpp"
#include "backend/settings.hpp"
#include "backend/triggers.hpp"
#include "core/error.hpp"
#include "core/filter_change.hpp"
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

// Runs fn with the rights of sync_move's owner (the extension's): the
// table names users, so no role is granted it, and the moves are read
// apart from the app's rows, which are always read with the caller's
// rights.
template <typename Fn>
void as_moves_owner(Oid schema, Fn &&fn) {
  as_owner_of(schema, "sync_move", fn);
}

Datum unix_timestamp(std::int64_t unix_micros) {
  return TimestampGetDatum(unix_micros - postgres_epoch_unix_micros);
}

bool moves_in(Oid schema, std::int64_t from_unix, std::int64_t to_unix) {
  Oid argtypes[] = {TIMESTAMPOID, TIMESTAMPOID};
  SPIPlanPtr plan = kept_plan(schema, moves_probe_slot, 2, argtypes,
                              [&] { return moves_probe_query(quoted_schema_name(schema)); });
  bool found = false;
  as_moves_owner(schema, [&] {
    guarded([&] {
      Datum values[] = {unix_timestamp(from_unix), unix_timestamp(to_unix)};
      if (SPI_execute_plan(plan, values, nullptr, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "looking for moved rows failed");
      bool isnull = false;
      found = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
    });
  });
  return found;
}

// The moves of a change's window as the change query's uuid[] arguments:
// tunes and the table's rows that moved, and which of them were the user's
// to see before.
void read_moves(Oid schema, SyncTable table, const FilterChange &change, Datum user_id,
                Datum relevant_genres, RowsArgs &args) {
  Oid argtypes[] = {TIMESTAMPOID, TIMESTAMPOID, UUIDOID, TEXTARRAYOID, TEXTOID, TEXTARRAYOID};
  SPIPlanPtr plan = kept_plan(schema, moves_window_slot, 6, argtypes,
                              [&] { return moves_window_query(quoted_schema_name(schema)); });
  as_moves_owner(schema, [&] {
    guarded([&] {
      Datum values[] = {unix_timestamp(change.moves_from),
                        unix_timestamp(change.moves_to),
                        user_id,
                        relevant_genres,
                        CStringGetTextDatum(table_name(table)),
                        *args.change_genres};
      if (SPI_execute_plan(plan, values, nullptr, true, 0) != SPI_OK_SELECT)
        elog(ERROR, "reading moved rows failed");
      const uint64 n = SPI_processed;
      // moved tunes, seen tunes, moved rows, seen rows
      Datum *ids[4];
      int counts[4] = {0, 0, 0, 0};
      for (Datum *&list : ids) list = static_cast<Datum *>(palloc(sizeof(Datum) * (n + 1)));
      for (uint64 i = 0; i < n; ++i) {
        bool isnull = false;
        const HeapTuple row = SPI_tuptable->vals[i];
        const bool tune = DatumGetBool(SPI_getbinval(row, SPI_tuptable->tupdesc, 1, &isnull));
        const Datum id = SPI_getbinval(row, SPI_tuptable->tupdesc, 2, &isnull);
        const bool seen = DatumGetBool(SPI_getbinval(row, SPI_tuptable->tupdesc, 3, &isnull));
        const int moved = tune ? 0 : 2;
        ids[moved][counts[moved]++] = id;
        if (seen) ids[moved + 1][counts[moved + 1]++] = id;
      }
      Datum arrays[4];
      for (int k = 0; k < 4; ++k)
        arrays[k] = PointerGetDatum(
            construct_array(ids[k], counts[k], UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
      args.moved_tunes = arrays[0];
      args.seen_tunes = arrays[1];
      args.moved_rows = arrays[2];
      args.seen_rows = arrays[3];
    });
  });
}

// Where the page ended: its last row's key, nullopt for an empty page.
std::optional<Cursor> page_end(DestReceiver *envelope) {
  const EnvelopePage page = envelope_page(envelope);
  if (page.count == 0) return std::nullopt;
  return row_cursor(page.last_key, &page.last_id);
}

std::string horizon_position(const Horizon &horizon) {
  if (!horizon.value) return {};
  Cursor at_horizon;
  at_horizon.unix_micros = *horizon.value + postgres_epoch_unix_micros;
  at_horizon.id.fill(0xff);
  return format_cursor(at_horizon);
}

// A range bound of sync_range_checksum: a v1 position, or a v2 cursor's
// position (nullopt for one before any row: from the start).
std::optional<Cursor> position_arg(FunctionCallInfo fcinfo, int arg, const char *name) {
  const auto text = text_arg(fcinfo, arg);
  if (!text) return std::nullopt;
  const PullCursor cursor = parse_pull_cursor(*text, name);
  return cursor.v1 ? cursor.v1 : cursor.v2->position;
}

}  // namespace

// (p_table, p_user_id, p_genre_ids, p_cursor, p_limit, p_until)
//
// One page of the worker's stream: while a filter change is under way, the
// rows it moved into the filter and the ids it moved out (catch_up); else
// the rows after the cursor's position. The state travels in next_cursor
// (core/filter_change.hpp).
Datum pull_function(FunctionCallInfo fcinfo) {
  const TableUserGenres call = table_user_genres_args(fcinfo);
  const SyncTable table = call.table;
  const auto cursor_text = text_arg(fcinfo, 3);
  std::optional<PullCursor> cursor;
  if (cursor_text) cursor = parse_pull_cursor(*cursor_text, "p_cursor");
  const int page_size = resolve_limit(int_arg(fcinfo, 4), max_page_size);
  const auto until_text = text_arg(fcinfo, 5);
  const auto until = cursor_arg(fcinfo, 5, "p_until");

  const Oid schema = function_schema(fcinfo);
  // The envelope is written straight into the caller's memory: it is as big
  // as the page's rows.
  MemoryContext result_context = CurrentMemoryContext;
  spi_connect();
  const NormalizedGenres genres =
      normalize_genres(filter_genres(schema, call.genre_ids, call.user_id));
  const std::vector<std::string> genres_now = genre_list(genres.array);
  const Horizon horizon = safe_horizon(schema);
  DestReceiver *envelope = nullptr;
  guarded([&] { envelope = envelope_receiver(result_context, page_size); });

  RowsArgs args;
  args.user_id = call.user_id;
  args.genre_ids = genres.array;
  args.horizon = horizon.value;
  // One row past the page tells has_more; at INT_MAX there is no room for it.
  args.limit = page_size < INT_MAX ? page_size + 1 : INT_MAX;

  // Without a horizon nothing can be delivered safely: the page is empty and
  // the cursor stays where it was.
  std::optional<SyncState> state;
  bool catch_up = false;
  if (horizon.value) {
    require_move_triggers(schema, table);
    const std::int64_t horizon_unix = *horizon.value + postgres_epoch_unix_micros;
    state = start_state(cursor, genres_now, horizon_unix);
    const bool moves_found =
        moves_to_check(*state, horizon_unix) && moves_in(schema, state->moves_seen, horizon_unix);
    begin_change_if_needed(*state, genres_now, horizon_unix, moves_found);
    catch_up = state->change.has_value();
  }

  RowsShape shape{table, QueryKind::envelope, BoundKind::none, BoundKind::none};
  if (state && state->change && !state->change->everything) {
    // Candidates of the change after its progress, up to the main position.
    const FilterChange &change = *state->change;
    shape.kind = QueryKind::change;
    set_range(shape, args, change.progress, state->position);
    args.change_genres = genre_array(change.genres);
    std::vector<std::string> relevant = genres_now;
    relevant.insert(relevant.end(), change.genres.begin(), change.genres.end());
    read_moves(schema, table, change, call.user_id, genre_array(relevant), args);
    run_rows_query(schema, shape, args, envelope);
    advance_change(*state, page_end(envelope), !envelope_page(envelope).has_more);
  } else if (state && state->change) {
    // A v1 cursor's catch-up: the filter's rows up to its position.
    set_range(shape, args, state->change->progress, state->position);
    choose_rows_access(schema, shape, args);
    run_rows_query(schema, shape, args, envelope);
    advance_change(*state, page_end(envelope), !envelope_page(envelope).has_more);
  } else if (state) {
    set_range(shape, args, state->position, until);
    shape.first_sync = table == SyncTable::tune && state->first_sync;
    choose_rows_access(schema, shape, args);
    run_rows_query(schema, shape, args, envelope);
    advance_main(*state, page_end(envelope), envelope_page(envelope).has_more);
  }
  // After a change's page the main stream follows: more to ask for.
  const bool has_more = catch_up || envelope_page(envelope).has_more;

  std::string next_cursor;
  if (state)
    next_cursor = format_sync_state(*state);
  else if (cursor_text)
    next_cursor = *cursor_text;
  const char *next = next_cursor.empty() ? nullptr : next_cursor.c_str();
  const char *cursor_given = cursor_text ? cursor_text->c_str() : nullptr;
  const char *until_cursor = until_text ? until_text->c_str() : nullptr;
  // The position of the horizon, for bounding the rest of a pull with p_until
  // (rows at the horizon itself are not returned until it moves past them).
  const std::string horizon_cursor = horizon_position(horizon);

  Datum result = (Datum)0;
  guarded([&] {
    EnvelopeFields fields;
    fields.table = table_name(table);
    fields.has_more = has_more;
    fields.catch_up = catch_up;
    fields.next_cursor = next;
    fields.cursor = cursor_given;
    fields.until = until_cursor;
    fields.horizon = horizon.value ? &*horizon.value : nullptr;
    fields.horizon_cursor = horizon.value ? horizon_cursor.c_str() : nullptr;
    fields.horizon_source = horizon.source;
    fields.horizon_reason = horizon.reason;
    fields.genres = DatumGetArrayTypeP(genres.array);
    fields.genres_hash = genres.hash;
    result = finish_envelope(envelope, fields);
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
  set_range(shape, args, position_arg(fcinfo, 3, "p_after"), position_arg(fcinfo, 4, "p_until"));

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

  Datum result = (Datum)0;
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
