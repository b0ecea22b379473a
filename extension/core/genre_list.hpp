// The one normaliser of a filter's genres: the envelope, cursors, the key
// index's streams and sync_partition_bounds all carry them distinct and in
// "C" order (PostgreSQL's COLLATE "C": bytes compared unsigned, a prefix
// first), without NULLs (the backend leaves those out).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gs {

// Sorts the genres in "C" order and drops repeats, in place.
void normalize_genre_list(std::vector<std::string_view> &genres);

// The text whose md5 is the envelope's genres_hash: the genres joined by
// newlines ('' for none).
std::string genres_hash_input(const std::vector<std::string_view> &genres);

}  // namespace gs
