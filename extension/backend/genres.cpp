#include "backend/genres.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

extern "C" {
#include "common/md5.h"
#include "utils/rls.h"
}

#include "backend/call_args.hpp"
#include "backend/caller_identity.hpp"
#include "backend/fence.hpp"
#include "backend/plan_cache.hpp"
#include "backend/relation_facts.hpp"
#include "core/error.hpp"
#include "core/genre_list.hpp"
#include "core/identity_check.hpp"
#include "core/page_args.hpp"

namespace gs::backend {

namespace {

// Genre discovery reads the user's selections and playlists with the
// caller's rights. Row security written for the user (a gateway's request
// authenticated as the user) shows them all; any other caller under row
// security may be shown fewer, and an empty or partial filter would tell a
// worker to remove the user's rows. That is a misconfiguration: an error.
void require_genre_sources_visible(Oid schema, Datum user_id) {
  const AppRelations &r = app_relations(schema);
  bool under_row_security = false;
  guarded([&] {
    for (const Oid relid : {r.user_genre_selection, r.playlist, r.playlist_tune, r.tune})
      if (check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED) under_row_security = true;
  });
  if (under_row_security && !request_is_user(user_id))
    throw Error(sqlstate::insufficient_privilege,
                "genre discovery for p_user_id is subject to row-level security",
                "Row security applies to the current role on the tables the user's genres come "
                "from, and the request is not authenticated as that user: rows it hides would "
                "shrink the user's filter.",
                "Pass p_genre_ids, or let this role bypass row-level security (BYPASSRLS) on "
                "user_genre_selection, playlist, playlist_tune and tune.");
}

}  // namespace

Datum user_genres(Oid schema, GenreSource source, Datum user_id) {
  require_genre_sources_visible(schema, user_id);
  const int slot = query_slot(source);
  Oid argtypes[] = {UUIDOID};
  SPIPlanPtr plan = kept_plan(schema, slot, 1, argtypes,
                              [&] { return genres_query(source, quoted_schema_name(schema)); });
  Datum genres = (Datum)0;
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

NormalizedGenres normalize_genres(Datum genres) {
  std::vector<std::string_view> list = genre_views(genres);
  normalize_genre_list(list);
  const std::string hash_input = genres_hash_input(list);
  NormalizedGenres result{genre_array(list), nullptr};
  guarded([&] {
    char *hash = static_cast<char *>(palloc(MD5_PASSWD_LEN));
    const char *failure = nullptr;
    if (!pg_md5_hash(hash_input.data(), hash_input.size(), hash, &failure))
      elog(ERROR, "computing the genres' md5 failed: %s", failure);
    result.hash = hash;
  });
  return result;
}

// Views of the elements' memory (detoasted in the current memory context
// where they were compressed).
std::vector<std::string_view> genre_views(Datum array) {
  Datum *elements = nullptr;
  bool *nulls = nullptr;
  int count = 0;
  guarded([&] {
    deconstruct_array(DatumGetArrayTypeP(array), TEXTOID, -1, false, TYPALIGN_INT, &elements,
                      &nulls, &count);
    for (int i = 0; i < count; ++i)
      if (!nulls[i]) elements[i] = PointerGetDatum(DatumGetTextPP(elements[i]));
  });
  std::vector<std::string_view> genres;
  genres.reserve(count);
  for (int i = 0; i < count; ++i)
    if (!nulls[i]) {
      const text *genre = reinterpret_cast<const text *>(DatumGetPointer(elements[i]));
      genres.emplace_back(VARDATA_ANY(genre), VARSIZE_ANY_EXHDR(genre));
    }
  return genres;
}

std::vector<std::string> genre_list(Datum array) {
  const std::vector<std::string_view> views = genre_views(array);
  return {views.begin(), views.end()};
}

Datum genre_array(const std::vector<std::string_view> &genres) {
  Datum array = (Datum)0;
  guarded([&] {
    Datum *elements = static_cast<Datum *>(palloc(sizeof(Datum) * (genres.size() + 1)));
    for (std::size_t i = 0; i < genres.size(); ++i)
      elements[i] = PointerGetDatum(
          cstring_to_text_with_len(genres[i].data(), static_cast<int>(genres[i].size())));
    array = PointerGetDatum(construct_array(elements, static_cast<int>(genres.size()), TEXTOID, -1,
                                            false, TYPALIGN_INT));
  });
  return array;
}

Datum genre_array(const std::vector<std::string> &genres) {
  return genre_array(std::vector<std::string_view>(genres.begin(), genres.end()));
}

Datum genres_function(FunctionCallInfo fcinfo, GenreSource source) {
  require_user_id(PG_ARGISNULL(0));
  require_caller_may_act_for(PG_GETARG_DATUM(0));
  const Datum user_id = PG_GETARG_DATUM(0);
  const Oid schema = function_schema(fcinfo);
  spi_connect();
  const Datum genres = user_genres(schema, source, user_id);
  Datum result = (Datum)0;
  guarded([&] {
    result = SPI_datumTransfer(genres, false, -1);
    SPI_finish();
  });
  PG_RETURN_DATUM(result);
}

}  // namespace gs::backend
