#include "backend/horizon.hpp"

#include <string>

extern "C" {
#include "access/twophase.h"
#include "access/xlog.h"
#include "storage/backendid.h"
#include "utils/backend_status.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"
}

#include "backend/call_args.hpp"
#include "backend/fence.hpp"
#include "backend/plan_cache.hpp"
#include "backend/settings.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

namespace {

// One backend's status fields the horizon needs, read consistently.
struct BackendStamp {
  int pid;
  BackendType type;
  BackendState state;
  TimestampTz xact_start;
  TimestampTz activity_start;
};

// PostgreSQL 15 internals: PgBackendStatus's fields and its changecount
// macros (utils/backend_status.h) are not an API; the fields read here and
// the protocol change between majors (pg.hpp refuses other majors).
// Reads a slot of the shared status array with the changecount protocol its
// writers follow (as pgstat_read_current_status does), copying only what the
// horizon needs: that API copies every slot's query text into fresh memory
// on every call, which dominated the cost of a page.
BackendStamp read_slot(const volatile PgBackendStatus *be) {
  BackendStamp stamp;
  for (;;) {
    int before, after;
    pgstat_begin_read_activity(be, before);
    stamp = {be->st_procpid, be->st_backendType, be->st_state, be->st_xact_start_timestamp,
             be->st_activity_start_timestamp};
    pgstat_end_read_activity(be, after);
    if (pgstat_read_activity_complete(before, after)) return stamp;
    CHECK_FOR_INTERRUPTS();
  }
}

// The oldest moment a row of any other session's transaction could be
// stamped with. A backend that is running a statement counts from the
// statement's start too: its transaction start is taken from it before the
// backend reports it, and the margin covers that instant.
TimestampTz oldest_stamp_in_progress() {
  TimestampTz oldest = GetCurrentTimestamp();
  // Regular backends' slots are the first MaxBackends of the array, and ours
  // is MyBackendId - 1 (pgstat_beinit), which locates the array. PostgreSQL
  // 15's layout: the array is private to backend_status.c, and PostgreSQL 17
  // replaces MyBackendId with MyProcNumber.
  const volatile PgBackendStatus *slots = MyBEEntry - (MyBackendId - 1);
  for (int i = 0; i < MaxBackends; ++i) {
    const BackendStamp be = read_slot(&slots[i]);
    if (be.pid == 0 || be.pid == MyProcPid) continue;
    // Only client sessions and background workers run application writes.
    if (be.type != B_BACKEND && be.type != B_BG_WORKER) continue;
    if (be.xact_start != 0 && be.xact_start < oldest) oldest = be.xact_start;
    const bool running = be.state == STATE_RUNNING || be.state == STATE_FASTPATH;
    if (running && be.activity_start != 0 && be.activity_start < oldest) oldest = be.activity_start;
  }
  return oldest;
}

bool single_bool(SPIPlanPtr plan) {
  bool result = false;
  guarded([&] {
    if (SPI_execute_plan(plan, nullptr, nullptr, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
      elog(ERROR, "horizon query failed");
    bool isnull = false;
    result = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
  });
  return result;
}

Horizon published_horizon(Oid schema) {
  SPIPlanPtr plan = kept_plan(schema, horizon_published_slot, 0, nullptr,
                              [&] { return horizon_published_query(quoted_schema_name(schema)); });
  std::optional<Timestamp> value;
  guarded([&] {
    if (SPI_execute_plan(plan, nullptr, nullptr, true, 1) != SPI_OK_SELECT)
      elog(ERROR, "reading the published horizon failed");
    bool isnull = true;
    Datum d = SPI_processed == 1
                  ? SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)
                  : (Datum)0;
    if (!isnull) value = DatumGetTimestamp(d);
  });
  if (!value)
    return {std::nullopt, "unknown",
            "this is a standby and the primary has not published a horizon "
            "(call sync_publish_horizon() there on a schedule)"};
  return {value, "published", nullptr};
}

}  // namespace

Horizon primary_horizon(Oid schema) {
  if (!pgstat_track_activities)
    return {std::nullopt, "unknown", "track_activities is off, so transaction starts are unknown"};
  if (MyBEEntry == nullptr || MyBackendId == InvalidBackendId)
    return {std::nullopt, "unknown", "this process has no backend status slot"};
  // PostgreSQL does not keep a prepared transaction's start: its rows may be
  // stamped at any earlier time, so no horizon is safe until it ends. With
  // max_prepared_transactions = 0 (the default) there can be none to look for.
  if (max_prepared_xacts > 0) {
    SPIPlanPtr prepared = kept_plan(schema, horizon_prepared_slot, 0, nullptr,
                                    [] { return horizon_prepared_query(); });
    if (single_bool(prepared))
      return {std::nullopt, "unknown", "a prepared transaction of this database is pending"};
  }
  const char *zone = stamp_time_zone;
  const int margin_ms = horizon_margin_ms;
  Timestamp value = 0;
  guarded([&] {
    TimestampTz oldest = oldest_stamp_in_progress();
    TimestampTz horizon = oldest - static_cast<TimestampTz>(margin_ms) * 1000 - 1;
    value = DatumGetTimestamp(DirectFunctionCall2(timestamptz_zone, CStringGetTextDatum(zone),
                                                  TimestampTzGetDatum(horizon)));
  });
  return {value, "primary", nullptr};
}

Horizon safe_horizon(Oid schema) {
  bool standby = false;
  guarded([&] { standby = RecoveryInProgress(); });
  return standby ? published_horizon(schema) : primary_horizon(schema);
}

Datum safe_horizon_function(FunctionCallInfo fcinfo) {
  const Oid schema = function_schema(fcinfo);
  spi_connect();
  const Horizon horizon = safe_horizon(schema);
  spi_finish();
  if (!horizon.value) PG_RETURN_NULL();
  PG_RETURN_TIMESTAMP(*horizon.value);
}

Datum publish_horizon_function(FunctionCallInfo fcinfo) {
  const Oid schema = function_schema(fcinfo);
  guarded([] {
    if (RecoveryInProgress())
      ereport(ERROR, (errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
                      errmsg("sync_publish_horizon() must run on the primary"),
                      errhint("Standbys read the horizon the primary publishes.")));
  });
  spi_connect();
  const Horizon horizon = primary_horizon(schema);
  if (!horizon.value) {
    spi_finish();
    PG_RETURN_NULL();
  }
  Oid argtypes[] = {TIMESTAMPOID};
  SPIPlanPtr plan = kept_plan(schema, horizon_publish_slot, 1, argtypes,
                              [&] { return horizon_publish_query(quoted_schema_name(schema)); });
  guarded([&] {
    Datum values[] = {TimestampGetDatum(*horizon.value)};
    if (SPI_execute_plan(plan, values, nullptr, false, 0) != SPI_OK_INSERT)
      elog(ERROR, "publishing the horizon failed");
    SPI_finish();
  });
  PG_RETURN_TIMESTAMP(*horizon.value);
}

}  // namespace gs::backend
