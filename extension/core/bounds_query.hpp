// The SQL of sync_partition_bounds: the user's keys cut into parts of equal
// row count, each part's size and last key.
#pragma once

#include <string>

#include "core/sync_query.hpp"

namespace gs {

// `rows` is the shape's filtered rows in key order (never sampled itself).
// QueryKind::bounds cuts every one of them; QueryKind::bounds_sampled only a
// row-level sample of the table of param_sample_percent, each sampled row
// kept when `rows` holds it.
std::string bounds_query(const RowsShape &shape, const std::string &rows,
                         const std::string &quoted_schema);

}  // namespace gs
