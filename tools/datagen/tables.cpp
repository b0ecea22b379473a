#include "datagen/tables.hpp"

#include "datagen/genre_catalog.hpp"

namespace gs::datagen {

std::string_view table_name(Table table) {
  switch (table) {
    case Table::genre: return "genre";
    case Table::user_profile: return "user_profile";
    case Table::tune: return "tune";
    case Table::playlist: return "playlist";
    case Table::playlist_tune: return "playlist_tune";
    case Table::user_genre_selection: return "user_genre_selection";
    case Table::note: return "note";
    case Table::reference: return "reference";
  }
  return "?";
}

std::string_view copy_columns(Table table) {
  switch (table) {
    case Table::genre: return "id, name, region, description";
    case Table::user_profile: return "id, name, email, last_modified_at";
    case Table::tune:
      return "id, title, type, mode, structure, incipit, genre, private_for, deleted, "
             "sync_version, last_modified_at, device_id";
    case Table::playlist:
      return "playlist_id, user_ref, name, instrument_ref, genre_default, deleted, "
             "sync_version, last_modified_at";
    case Table::playlist_tune:
      return "playlist_ref, tune_ref, current, learned, deleted, sync_version, last_modified_at";
    case Table::user_genre_selection: return "user_id, genre_id, created_at";
    case Table::note:
      return "id, user_ref, tune_ref, playlist_ref, created_date, note_text, public, favorite, "
             "deleted, sync_version, last_modified_at, device_id";
    case Table::reference:
      return "id, url, ref_type, tune_ref, user_ref, comment, title, public, favorite, deleted, "
             "sync_version, last_modified_at, device_id";
  }
  return "";
}

std::uint64_t row_count(const DatasetPlan &plan, Table table) {
  switch (table) {
    case Table::genre: return genre_count;
    case Table::user_profile: return plan.users.size();
    case Table::tune: return plan.tunes.size();
    case Table::playlist: return plan.playlists.size();
    case Table::playlist_tune: return plan.playlist_tune_rows;
    case Table::user_genre_selection: return plan.selection_rows;
    case Table::note: return plan.notes;
    case Table::reference: return plan.references;
  }
  return 0;
}

}  // namespace gs::datagen
