#pragma once

#include "datagen/timestamp.hpp"
#include "datagen/uuid.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace gs::datagen {

// Appends `value` escaped for COPY ... FROM STDIN in text format: the
// characters that would end a field or a row (tab, newline, carriage
// return) and the escape character itself become backslash sequences.
void append_copy_escaped(std::string &out, std::string_view value);

// Builds rows of COPY text format into a caller's buffer; fields are written
// in the table's column order.
class CopyRow {
 public:
  explicit CopyRow(std::string &out) noexcept : out_(out) {}

  CopyRow &text(std::string_view value);
  CopyRow &null();
  CopyRow &integer(std::int64_t value);
  CopyRow &boolean(bool value);
  CopyRow &uuid(const Uuid &value);
  CopyRow &timestamp(Micros value);
  // Ends the row and readies the builder for the next one.
  void end();

 private:
  void separate();

  std::string &out_;
  bool first_ = true;
};

}  // namespace gs::datagen
