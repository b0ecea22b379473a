#include "core/role_list.hpp"

#include "core/error.hpp"

namespace gs {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

[[noreturn]] void fail(const std::string &why, std::string_view text) {
  throw Error(sqlstate::invalid_parameter_value, "invalid list of role names: " + why,
              "The list is \"" + std::string(text) + "\".",
              "Separate names with commas; double-quote names with capitals or commas.");
}

}  // namespace

std::vector<std::string> parse_role_list(std::string_view text) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  auto skip_space = [&] {
    while (pos < text.size() && is_space(text[pos])) ++pos;
  };
  skip_space();
  if (pos == text.size()) return names;
  for (;;) {
    std::string name;
    if (text[pos] == '"') {
      ++pos;
      for (;;) {
        if (pos == text.size()) fail("unclosed double quote", text);
        if (text[pos] == '"') {
          if (pos + 1 < text.size() && text[pos + 1] == '"') {
            name += '"';
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        name += text[pos++];
      }
    } else {
      while (pos < text.size() && text[pos] != ',' && !is_space(text[pos])) {
        const char c = text[pos++];
        if (c == '"') fail("double quote inside a name", text);
        name += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      }
    }
    if (name.empty()) fail("empty name", text);
    if (name.size() > max_role_name_bytes) fail("name longer than 63 bytes", text);
    names.push_back(std::move(name));
    skip_space();
    if (pos == text.size()) return names;
    if (text[pos] != ',') fail("names must be separated by commas", text);
    ++pos;
    skip_space();
    if (pos == text.size()) fail("empty name", text);
  }
}

}  // namespace gs
