// sync_pull (the page envelope for workers) and sync_range_checksum.
#pragma once

#include "backend/pg.hpp"

namespace gs::backend {

Datum pull_function(FunctionCallInfo fcinfo);
Datum range_checksum_function(FunctionCallInfo fcinfo);

}  // namespace gs::backend
