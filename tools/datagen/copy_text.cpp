#include "datagen/copy_text.hpp"

#include <charconv>

namespace gs::datagen {

void append_copy_escaped(std::string &out, std::string_view value) {
  std::size_t plain_from = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char escaped;
    switch (value[i]) {
      case '\\': escaped = '\\'; break;
      case '\t': escaped = 't'; break;
      case '\n': escaped = 'n'; break;
      case '\r': escaped = 'r'; break;
      default: continue;
    }
    out.append(value.substr(plain_from, i - plain_from));
    out.push_back('\\');
    out.push_back(escaped);
    plain_from = i + 1;
  }
  out.append(value.substr(plain_from));
}

void CopyRow::separate() {
  if (!first_) {
    out_.push_back('\t');
  }
  first_ = false;
}

CopyRow &CopyRow::text(std::string_view value) {
  separate();
  append_copy_escaped(out_, value);
  return *this;
}

CopyRow &CopyRow::null() {
  separate();
  out_.append("\\N");
  return *this;
}

CopyRow &CopyRow::integer(std::int64_t value) {
  separate();
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out_.append(digits, result.ptr);
  return *this;
}

CopyRow &CopyRow::boolean(bool value) {
  separate();
  out_.push_back(value ? 't' : 'f');
  return *this;
}

CopyRow &CopyRow::uuid(const Uuid &value) {
  separate();
  append_uuid(out_, value);
  return *this;
}

CopyRow &CopyRow::timestamp(Micros value) {
  separate();
  append_timestamp(out_, value);
  return *this;
}

void CopyRow::end() {
  out_.push_back('\n');
  first_ = true;
}

}  // namespace gs::datagen
