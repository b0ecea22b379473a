// The role names of a list setting such as genre_sync.trusted_roles, read
// with SQL identifier rules so the setting means what a GRANT would: names
// are separated by commas, unquoted names fold to lower case, double-quoted
// ones keep their case and may hold commas ("" is a quote).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gs {

// Longer names cannot be role names (NAMEDATALEN - 1); refusing them beats
// silently truncating them into someone else's name.
inline constexpr std::size_t max_role_name_bytes = 63;

// Throws gs::Error 22023 for an empty name, an unclosed quote, or a name too
// long. An empty or all-blank list is no names.
std::vector<std::string> parse_role_list(std::string_view text);

}  // namespace gs
