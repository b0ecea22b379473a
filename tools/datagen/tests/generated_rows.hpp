#pragma once

#include "datagen/row_generator.hpp"

#include <string>
#include <vector>

namespace gs::datagen::testing {

// All rows of one table as generated for COPY, split into (still escaped)
// fields; "\\N" is NULL.
using Rows = std::vector<std::vector<std::string>>;

inline std::string generated_text(const DatasetPlan &plan, Table table) {
  std::string text;
  generate_rows(plan, table, 64 * 1024,
                [&](std::string_view chunk, std::uint64_t) { text.append(chunk); });
  return text;
}

inline Rows generated_rows(const DatasetPlan &plan, Table table) {
  Rows rows;
  const std::string text = generated_text(plan, table);
  std::vector<std::string> fields(1);
  for (char c : text) {
    if (c == '\n') {
      rows.push_back(std::move(fields));
      fields.assign(1, {});
    } else if (c == '\t') {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  return rows;
}

}  // namespace gs::datagen::testing
