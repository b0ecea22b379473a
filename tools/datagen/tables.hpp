#pragma once

#include "datagen/dataset_plan.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace gs::datagen {

// The app tables datagen fills, in foreign-key order (parents first).
// `instrument` stays empty: nothing in the dataset references it.
enum class Table {
  genre,
  user_profile,
  tune,
  playlist,
  playlist_tune,
  user_genre_selection,
  note,
  reference,
};

inline constexpr std::array<Table, 8> load_order = {
    Table::genre,         Table::user_profile,         Table::tune, Table::playlist,
    Table::playlist_tune, Table::user_genre_selection, Table::note, Table::reference,
};

// Every table of the app schema, for the emptiness check and the summary.
inline constexpr std::array<std::string_view, 9> app_tables = {
    "genre",    "user_profile",  "instrument",           "tune", "note", "reference",
    "playlist", "playlist_tune", "user_genre_selection",
};

std::string_view table_name(Table table);
// The column list generated rows follow, for `COPY table (columns)`, so a
// reordered schema cannot silently shift values into the wrong columns.
std::string_view copy_columns(Table table);
std::uint64_t row_count(const DatasetPlan &plan, Table table);

}  // namespace gs::datagen
