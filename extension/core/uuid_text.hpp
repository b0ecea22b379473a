// uuid text as PostgreSQL's uuid input reads it, outside a backend: the
// caller check compares a JWT's "sub" to p_user_id the way an RLS policy's
// `(claims ->> 'sub')::uuid` would, without risking an error for a "sub"
// that is no uuid.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace gs {

using UuidBytes = std::array<unsigned char, 16>;

// 32 hex digits, either case, optionally in braces, with an optional '-'
// after any group of four digits but the last; nullopt for anything else.
std::optional<UuidBytes> parse_uuid(std::string_view text);

}  // namespace gs
