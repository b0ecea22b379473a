// Server-side genre discovery: the genres a user's sync filters by.
#pragma once

#include <optional>
#include <string>
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
// order, distinct, without NULLs (in SPI memory), and the md5 of their
// newline-joined text. Requires an SPI connection.
struct NormalizedGenres {
  Datum array;
  const char *hash;
};
NormalizedGenres normalize_genres(Datum genres);

// The elements of a text[] without NULLs; distinct and in "C" order; and
// such a list as a text[] (in the current memory context).
std::vector<std::string> genre_list(Datum array);
std::vector<std::string> distinct_genre_list(Datum array);
Datum genre_array(const std::vector<std::string> &genres);

Datum genres_function(FunctionCallInfo fcinfo, GenreSource source);

}  // namespace gs::backend
