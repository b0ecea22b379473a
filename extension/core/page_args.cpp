#include "core/page_args.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"

namespace gs {

void require_user_id(bool is_null) {
  if (is_null) throw Error(sqlstate::null_value_not_allowed, "p_user_id must not be null");
}

int resolve_limit(std::optional<int> limit, int max_page_size) {
  if (!limit) return std::min(default_page_size, max_page_size);
  if (*limit < 1 || *limit > max_page_size)
    throw Error(sqlstate::invalid_parameter_value,
                "p_limit must be between 1 and " + std::to_string(max_page_size),
                "p_limit is " + std::to_string(*limit) + ".",
                "The upper bound is the genre_sync.max_page_size setting.");
  return *limit;
}

int resolve_offset(std::optional<int> offset) {
  if (!offset) return 0;
  if (*offset < 0)
    throw Error(sqlstate::invalid_parameter_value, "p_offset must not be negative",
                "p_offset is " + std::to_string(*offset) + ".");
  return *offset;
}

BoundKind classify_bound(bool has_timestamp, bool has_id, const char *timestamp_arg,
                         const char *id_arg) {
  if (has_id && !has_timestamp)
    throw Error(sqlstate::invalid_parameter_value,
                std::string(id_arg) + " requires " + timestamp_arg,
                "Rows are ordered by (last_modified_at, id); an id alone is no position.",
                std::string("Pass the last_modified_at of the row ") + id_arg + " names.");
  if (!has_timestamp) return BoundKind::none;
  return has_id ? BoundKind::timestamp_and_id : BoundKind::timestamp;
}

void require_one_dimension(int ndim, const char *arg) {
  if (ndim > 1)
    throw Error(sqlstate::array_subscript_error,
                std::string(arg) + " must be a one-dimensional array",
                "The array has " + std::to_string(ndim) + " dimensions.");
}

}  // namespace gs
