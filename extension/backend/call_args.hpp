// Reading SQL arguments into C++ values, with the checks every function
// shares. NULL arguments come back as nullopt.
#pragma once

#include <optional>
#include <string>

#include "backend/pg.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

std::optional<std::string> text_arg(FunctionCallInfo fcinfo, int arg);
std::optional<int> int_arg(FunctionCallInfo fcinfo, int arg);

// The genre array, detoasted, after checking it has at most one dimension.
std::optional<Datum> genre_ids_arg(FunctionCallInfo fcinfo, int arg);

// p_table: note, reference or tune (22004 when NULL, 22023 otherwise).
SyncTable table_arg(FunctionCallInfo fcinfo, int arg);

// (p_table, p_user_id, p_genre_ids), the arguments sync_pull,
// sync_range_checksum and sync_partition_bounds open with, checked; the
// caller must be allowed to act for the user.
struct TableUserGenres {
  SyncTable table;
  Datum user_id;
  std::optional<Datum> genre_ids;
};
TableUserGenres table_user_genres_args(FunctionCallInfo fcinfo);

// SPI_connect / SPI_finish for C++ callers.
void spi_connect();
void spi_finish();

}  // namespace gs::backend
