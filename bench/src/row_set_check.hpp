#pragma once
// Whether a parallel pull returned exactly the rows of the sequential pull:
// the same (id, last_modified_at) keys, each once, in whatever order the
// connections finished.
#include <cstdint>
#include <string>
#include <vector>

#include "envelope_reader.hpp"

namespace gs::bench {

// Order-independent fingerprint: the sum modulo 2^64 of FNV-1a over
// "id:last_modified_at" of every row. Equal sets give equal digests whatever
// the order; a repeated row changes the sum.
std::uint64_t row_set_digest(const std::vector<RowKey> &rows);

// "" when `got` holds exactly the keys of `expected` (each once); otherwise
// one line saying how many rows are missing, extra or repeated, with an
// example of each.
std::string row_set_difference(std::vector<RowKey> expected, std::vector<RowKey> got);

}  // namespace gs::bench
