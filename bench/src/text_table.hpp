#pragma once
// Column-aligned plain-text tables for the stdout summary: the first column
// (a label) left-aligned, numbers right-aligned.
#include <string>
#include <vector>

namespace gs::bench {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  // Rows shorter than the header are padded with empty cells.
  void add_row(std::vector<std::string> cells);
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Fixed-point text; "-" for NaN (a statistic of nothing).
std::string fixed(double v, int decimals);

}  // namespace gs::bench
