// The SQL-callable functions. Each is a thin C entry point: no locals, the
// work runs behind the fence (backend/fence.hpp).
#include "backend/fence.hpp"
#include "backend/genres.hpp"
#include "backend/horizon.hpp"
#include "backend/key_index.hpp"
#include "backend/partition_bounds.hpp"
#include "backend/pull.hpp"
#include "backend/sync_rows.hpp"
#include "backend/triggers.hpp"

using gs::GenreSource;
using gs::SyncTable;
using gs::backend::fenced;
using gs::backend::genres_function;
using gs::backend::keyset_page;
using gs::backend::offset_page;

extern "C" {

PG_FUNCTION_INFO_V1(sync_get_user_notes);
PG_FUNCTION_INFO_V1(sync_get_user_references);
PG_FUNCTION_INFO_V1(sync_notes_page);
PG_FUNCTION_INFO_V1(sync_references_page);
PG_FUNCTION_INFO_V1(sync_tunes_page);
PG_FUNCTION_INFO_V1(sync_get_playlist_tune_genres);
PG_FUNCTION_INFO_V1(sync_get_effective_genres);
PG_FUNCTION_INFO_V1(sync_safe_horizon);
PG_FUNCTION_INFO_V1(sync_publish_horizon);
PG_FUNCTION_INFO_V1(sync_pull);
PG_FUNCTION_INFO_V1(sync_range_checksum);
PG_FUNCTION_INFO_V1(sync_partition_bounds);
PG_FUNCTION_INFO_V1(sync_key_index_names);
PG_FUNCTION_INFO_V1(sync_move_trigger_name);

Datum sync_get_user_notes(PG_FUNCTION_ARGS) {
  return fenced(fcinfo, [](FunctionCallInfo f) { return offset_page(f, SyncTable::note); });
}

Datum sync_get_user_references(PG_FUNCTION_ARGS) {
  return fenced(fcinfo, [](FunctionCallInfo f) { return offset_page(f, SyncTable::reference); });
}

Datum sync_notes_page(PG_FUNCTION_ARGS) {
  return fenced(fcinfo, [](FunctionCallInfo f) { return keyset_page(f, SyncTable::note); });
}

Datum sync_references_page(PG_FUNCTION_ARGS) {
  return fenced(fcinfo, [](FunctionCallInfo f) { return keyset_page(f, SyncTable::reference); });
}

Datum sync_tunes_page(PG_FUNCTION_ARGS) {
  return fenced(fcinfo, [](FunctionCallInfo f) { return keyset_page(f, SyncTable::tune); });
}

Datum sync_get_playlist_tune_genres(PG_FUNCTION_ARGS) {
  return fenced(fcinfo,
                [](FunctionCallInfo f) { return genres_function(f, GenreSource::playlist_tunes); });
}

Datum sync_get_effective_genres(PG_FUNCTION_ARGS) {
  return fenced(fcinfo,
                [](FunctionCallInfo f) { return genres_function(f, GenreSource::effective); });
}

Datum sync_safe_horizon(PG_FUNCTION_ARGS) {
  return fenced(fcinfo, gs::backend::safe_horizon_function);
}

Datum sync_publish_horizon(PG_FUNCTION_ARGS) {
  return fenced(fcinfo, gs::backend::publish_horizon_function);
}

Datum sync_pull(PG_FUNCTION_ARGS) { return fenced(fcinfo, gs::backend::pull_function); }

Datum sync_range_checksum(PG_FUNCTION_ARGS) {
  return fenced(fcinfo, gs::backend::range_checksum_function);
}

Datum sync_partition_bounds(PG_FUNCTION_ARGS) {
  return fenced(fcinfo, gs::backend::partition_bounds_function);
}

Datum sync_key_index_names(PG_FUNCTION_ARGS) {
  return fenced(fcinfo, gs::backend::key_index_names_function);
}

Datum sync_move_trigger_name(PG_FUNCTION_ARGS) {
  return fenced(fcinfo, gs::backend::move_trigger_name_function);
}

}  // extern "C"
