// Validation of the page functions' arguments, independent of PostgreSQL so
// the rules are unit-tested outside a backend. Every failure throws gs::Error
// with the SQLSTATE and the message the SQL reference documents.
#pragma once

#include <optional>

namespace gs {

// The page size when p_limit is NULL.
inline constexpr int default_page_size = 1000;

// Which parts of an (after or until) keyset bound the caller gave.
enum class BoundKind { none, timestamp, timestamp_and_id };

void require_user_id(bool is_null);

// NULL means the default page size (capped by max_page_size).
int resolve_limit(std::optional<int> limit, int max_page_size);

// NULL means 0.
int resolve_offset(std::optional<int> offset);

// An id without a timestamp cannot be ordered against (last_modified_at, id).
BoundKind classify_bound(bool has_timestamp, bool has_id, const char *timestamp_arg,
                         const char *id_arg);

// Arrays of more than one dimension are rejected rather than flattened.
void require_one_dimension(int ndim, const char *arg);

}  // namespace gs
