// The safe horizon: the newest last_modified_at a client may keep as its
// cursor. Rows are assumed stamped by the database with now() (the stamping
// transaction's start) in genre_sync.stamp_time_zone, so no transaction still
// in progress can commit a row stamped before the oldest in-progress start.
#pragma once

#include <optional>

#include "backend/pg.hpp"

namespace gs::backend {

struct Horizon {
  std::optional<Timestamp> value;  // nullopt: no safe horizon can be known
  const char *source;              // "primary", "published" or "unknown"
  const char *reason;              // why it is unknown, else nullptr
};

// Requires an SPI connection (prepared transactions and, on a standby, the
// published horizon are read through SPI).
Horizon safe_horizon(Oid schema);

// The horizon a primary computes from its own backends (ignores standby).
Horizon primary_horizon(Oid schema);

Datum safe_horizon_function(FunctionCallInfo fcinfo);
Datum publish_horizon_function(FunctionCallInfo fcinfo);

}  // namespace gs::backend
