#pragma once

#include "datagen/dataset_plan.hpp"
#include "datagen/tables.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

namespace gs::datagen {

// Receives COPY text (whole rows only) and how many rows are done so far.
using ChunkSink = std::function<void(std::string_view chunk, std::uint64_t rows_done)>;

// Writes all rows of `table` in COPY text format, handing them to `sink` in
// chunks of about `chunk_bytes`. Same plan, same bytes: each table draws from
// its own random stream.
void generate_rows(const DatasetPlan &plan, Table table, std::size_t chunk_bytes,
                   const ChunkSink &sink);

}  // namespace gs::datagen
