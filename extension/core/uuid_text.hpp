// uuid text, outside a backend: the one parser and the one formatter.
//
// The canonical text is what PostgreSQL's uuid output writes: 36 characters,
// lower-case hex digits, '-' after the 4th, 6th, 8th and 10th byte. Cursors
// carry it and accept nothing else (core/cursor.hpp). The caller check reads
// a JWT's "sub" the way an RLS policy's `(claims ->> 'sub')::uuid` would,
// without risking an error for a "sub" that is no uuid: every form
// PostgreSQL's uuid input accepts.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace gs {

using UuidBytes = std::array<unsigned char, 16>;

enum class UuidSyntax {
  canonical,       // the canonical text only
  postgres_input,  // 32 hex digits, either case, optionally in braces, with an
                   // optional '-' after any group of four digits but the last
};

// The uuid the text spells under the syntax; nullopt for anything else.
std::optional<UuidBytes> parse_uuid(std::string_view text,
                                    UuidSyntax syntax = UuidSyntax::canonical);

// The canonical text.
std::string format_uuid(const UuidBytes &bytes);

}  // namespace gs
