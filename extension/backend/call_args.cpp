#include "backend/call_args.hpp"

#include "backend/caller_identity.hpp"
#include "backend/fence.hpp"
#include "core/error.hpp"
#include "core/page_args.hpp"

namespace gs::backend {

std::optional<std::string> text_arg(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) return std::nullopt;
  const char *data = nullptr;
  int length = 0;
  guarded([&] {
    text *value = PG_GETARG_TEXT_PP(arg);
    data = VARDATA_ANY(value);
    length = VARSIZE_ANY_EXHDR(value);
  });
  return std::string(data, length);
}

std::optional<int> int_arg(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) return std::nullopt;
  return PG_GETARG_INT32(arg);
}

std::optional<Datum> genre_ids_arg(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) return std::nullopt;
  ArrayType *array = nullptr;
  guarded([&] { array = PG_GETARG_ARRAYTYPE_P(arg); });
  // NULL elements need no work: `= ANY` never matches them.
  require_one_dimension(ARR_NDIM(array), "p_genre_ids");
  return PointerGetDatum(array);
}

SyncTable table_arg(FunctionCallInfo fcinfo, int arg) {
  auto name = text_arg(fcinfo, arg);
  if (!name) throw Error(sqlstate::null_value_not_allowed, "p_table must not be null");
  return parse_table(*name, "p_table");
}

TableUserGenres table_user_genres_args(FunctionCallInfo fcinfo) {
  const SyncTable table = table_arg(fcinfo, 0);
  require_user_id(PG_ARGISNULL(1));
  require_caller_may_act_for(PG_GETARG_DATUM(1));
  return {table, PG_GETARG_DATUM(1), genre_ids_arg(fcinfo, 2)};
}

void spi_connect() {
  guarded([] {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  });
}

void spi_finish() {
  guarded([] { SPI_finish(); });
}

}  // namespace gs::backend
