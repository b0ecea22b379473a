// sync_partition_bounds: contiguous key ranges of about equal row count, for
// fetching one user's rows over several connections at once.
#pragma once

#include "backend/pg.hpp"

namespace gs::backend {

Datum partition_bounds_function(FunctionCallInfo fcinfo);

}  // namespace gs::backend
