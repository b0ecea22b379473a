// Where the page functions' and the bounds' timestamptz arguments meet the
// `timestamp` column last_modified_at: in genre_sync.stamp_time_zone, the
// zone whose wall clock the column holds, never in the session's TimeZone.
//
// A timestamptz argument names an instant; a row's value names the instant
// its wall clock has in the stamp zone. Comparing the argument's wall clock
// in the stamp zone with the column compares the two instants wherever that
// wall clock runs with time: always in UTC (the default); in a zone with
// daylight saving everywhere but its repeated autumn hour, and its
// spring-forward gap holds no stamps of its now(). Converting the argument,
// not the column, keeps the bound an index condition on (last_modified_at,
// id). So a client passing instants is exact from any TimeZone, and one
// passing the row's timestamp back as read (the session reads it as its own
// wall clock) is exact when its TimeZone is the stamp zone; from another
// zone nothing can be: the function sees only the instant, and a wall clock
// in the session zone's spring-forward gap has none of its own. The seed's
// drop-ins do not use this: they keep its session-TimeZone comparison.
#pragma once

#include "backend/pg.hpp"

namespace gs::backend {

// The stamp zone's wall clock at `instant` (timestamptz AT TIME ZONE zone):
// the last_modified_at a row stamped at that instant holds.
Timestamp stamp_zone_wall_clock(TimestampTz instant);

// The instant a last_modified_at value names (timestamp AT TIME ZONE zone):
// what a timestamptz result that a client passes back must carry to come
// back as the same column value.
TimestampTz stamp_zone_instant(Timestamp wall_clock);

}  // namespace gs::backend
