// The genre normaliser against PostgreSQL's own answers: the expected lists
// are what
//   SELECT array_agg(DISTINCT g COLLATE "C" ORDER BY g COLLATE "C")
//   FROM unnest('{...}'::text[]) g WHERE g IS NOT NULL
// returns for the same input (the SQL normaliser this replaced). Seen to
// fail: sorting with std::greater, and dropping the std::unique erase.
#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

#include "core/genre_list.hpp"

using List = std::vector<std::string_view>;

TEST_CASE("genres come out distinct in \"C\" order") {
  List genres = {"rock", "Jazz", "jazz", "rock", "", "jazz ", "Ébène", "Zydeco", "jazz"};
  gs::normalize_genre_list(genres);
  // Upper case before lower, a prefix before its extensions, bytes >= 0x80
  // (É is C3 89) after ASCII.
  CHECK(genres == List{"", "Jazz", "Zydeco", "jazz", "jazz ", "rock", "Ébène"});
}

TEST_CASE("no genres stay none") {
  List genres;
  gs::normalize_genre_list(genres);
  CHECK(genres.empty());
  CHECK(gs::genres_hash_input(genres).empty());
}

TEST_CASE("the hash input joins the genres by newlines") {
  // md5 of this text is the envelope's genres_hash, as
  // md5(array_to_string('{a,b}'::text[], E'\n')) in SQL.
  CHECK(gs::genres_hash_input(List{"a"}) == "a");
  CHECK(gs::genres_hash_input(List{"a", "b c", ""}) == "a\nb c\n");
}
