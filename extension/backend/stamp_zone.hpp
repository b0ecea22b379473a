// Where the page functions' and the bounds' timestamptz arguments meet the
// `timestamp` column last_modified_at: in genre_sync.stamp_time_zone, the
// zone whose wall clock the column holds, never in the session's TimeZone.
//
// A timestamptz argument names an instant. The column's value names the
// instant its wall clock has in the stamp zone. Converting the argument to
// the stamp zone's wall clock and comparing timestamps is the same ordering
// as comparing the two instants (the stamp zone's wall clock runs in step
// with time, except across its own daylight-saving transitions, where now()
// stamps no wall time of a spring-forward gap), and it keeps the bound an
// index condition on (last_modified_at, id), which converting the column
// would not. So a client passing instants is exact from any TimeZone, and a
// client passing the row's timestamp back as is (the session reads it as
// wall clock of its own TimeZone) is exact when that TimeZone is the stamp
// zone. The seed's drop-ins do not use this: they keep its session-TimeZone
// comparison.
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
