#include "backend/stamp_zone.hpp"

extern "C" {
#include "utils/fmgrprotos.h"
}

#include "backend/fence.hpp"
#include "backend/settings.hpp"

namespace gs::backend {

// timestamptz_zone and timestamp_zone are what AT TIME ZONE runs, so the SQL
// a client writes to do the same conversion (see README, Arguments) gives
// exactly these values, infinities and the zone's transitions included.

Timestamp stamp_zone_wall_clock(TimestampTz instant) {
  const char *zone = stamp_time_zone;
  Timestamp result = 0;
  guarded([&] {
    result = DatumGetTimestamp(DirectFunctionCall2(timestamptz_zone, CStringGetTextDatum(zone),
                                                   TimestampTzGetDatum(instant)));
  });
  return result;
}

TimestampTz stamp_zone_instant(Timestamp wall_clock) {
  const char *zone = stamp_time_zone;
  TimestampTz result = 0;
  guarded([&] {
    result = DatumGetTimestampTz(DirectFunctionCall2(timestamp_zone, CStringGetTextDatum(zone),
                                                     TimestampGetDatum(wall_clock)));
  });
  return result;
}

}  // namespace gs::backend
