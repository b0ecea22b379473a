// Server-side genre discovery: the genres a user's sync filters by.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/pg.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

// Runs the genre query for user_id; requires an SPI connection. The array
// lives in SPI memory until SPI_finish.
Datum user_genres(Oid schema, GenreSource source, Datum user_id);

// The filter's genres: the caller's, or when NULL the user's effective ones.
Datum filter_genres(Oid schema, const std::optional<Datum> &given, Datum user_id);

// The filter's genres as the envelope and cursors carry them: sorted in "C"
// order, distinct, without NULLs (core/genre_list.hpp), and the md5 of their
// newline-joined text, palloc'd in the current memory context.
struct NormalizedGenres {
  Datum array;
  const char *hash;
};
NormalizedGenres normalize_genres(Datum genres);

// The elements of a text[] without NULLs: views of the array's memory, or
// copies.
std::vector<std::string_view> genre_views(Datum array);
std::vector<std::string> genre_list(Datum array);
// Genres as a text[] (in the current memory context).
Datum genre_array(const std::vector<std::string_view> &genres);
Datum genre_array(const std::vector<std::string> &genres);

Datum genres_function(FunctionCallInfo fcinfo, GenreSource source);

}  // namespace gs::backend
