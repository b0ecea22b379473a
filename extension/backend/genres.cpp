#include "backend/genres.hpp"

#include "backend/caller_identity.hpp"
#include "backend/call_args.hpp"
#include "backend/fence.hpp"
#include "backend/plan_cache.hpp"
#include "core/page_args.hpp"

namespace gs::backend {

Datum user_genres(Oid schema, GenreSource source, Datum user_id) {
  const int slot = query_slot(source);
  Oid argtypes[] = {UUIDOID};
  SPIPlanPtr plan = kept_plan(schema, slot, 1, argtypes, [&] {
    return genres_query(source, quoted_schema_name(schema));
  });
  Datum genres = (Datum) 0;
  guarded([&] {
    Datum values[] = {user_id};
    int rc = SPI_execute_plan(plan, values, nullptr, true, 1);
    if (rc != SPI_OK_SELECT || SPI_processed != 1)
      elog(ERROR, "genre query failed: %s", SPI_result_code_string(rc));
    bool isnull = false;
    genres = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
    if (isnull) elog(ERROR, "genre query returned NULL");
  });
  return genres;
}

Datum filter_genres(Oid schema, const std::optional<Datum> &given, Datum user_id) {
  return given ? *given : user_genres(schema, GenreSource::effective, user_id);
}

Datum genres_function(FunctionCallInfo fcinfo, GenreSource source) {
  require_user_id(PG_ARGISNULL(0));
  require_caller_may_act_for(PG_GETARG_DATUM(0));
  const Datum user_id = PG_GETARG_DATUM(0);
  const Oid schema = function_schema(fcinfo);
  spi_connect();
  const Datum genres = user_genres(schema, source, user_id);
  Datum result = (Datum) 0;
  guarded([&] {
    result = SPI_datumTransfer(genres, false, -1);
    SPI_finish();
  });
  PG_RETURN_DATUM(result);
}

}  // namespace gs::backend
