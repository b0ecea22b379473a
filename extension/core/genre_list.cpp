#include "core/genre_list.hpp"

#include <algorithm>

namespace gs {

void normalize_genre_list(std::vector<std::string_view> &genres) {
  // std::string_view compares as char_traits<char>: bytes as unsigned char,
  // then length, which is "C" order.
  std::sort(genres.begin(), genres.end());
  genres.erase(std::unique(genres.begin(), genres.end()), genres.end());
}

std::string genres_hash_input(const std::vector<std::string_view> &genres) {
  std::string text;
  for (std::size_t i = 0; i < genres.size(); ++i) {
    if (i > 0) text += '\n';
    text += genres[i];
  }
  return text;
}

}  // namespace gs
