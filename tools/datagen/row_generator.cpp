#include "datagen/row_generator.hpp"

#include "datagen/chunked_rows.hpp"

namespace gs::datagen {

ChunkedRows::ChunkedRows(std::size_t chunk_bytes, const ChunkSink &sink)
    : chunk_bytes_(chunk_bytes), sink_(sink) {
  buffer_.reserve(chunk_bytes + 4096);
}

void ChunkedRows::row_done() {
  ++rows_;
  if (buffer_.size() >= chunk_bytes_) {
    sink_(buffer_, rows_);
    buffer_.clear();
  }
}

void ChunkedRows::finish() {
  if (!buffer_.empty()) {
    sink_(buffer_, rows_);
    buffer_.clear();
  }
}

void generate_rows(const DatasetPlan &plan, Table table, std::size_t chunk_bytes,
                   const ChunkSink &sink) {
  ChunkedRows out(chunk_bytes, sink);
  switch (table) {
    case Table::genre: write_genres(plan, out); break;
    case Table::user_profile: write_user_profiles(plan, out); break;
    case Table::tune: write_tunes(plan, out); break;
    case Table::playlist: write_playlists(plan, out); break;
    case Table::playlist_tune: write_playlist_tunes(plan, out); break;
    case Table::user_genre_selection: write_genre_selections(plan, out); break;
    case Table::note: write_notes(plan, out); break;
    case Table::reference: write_references(plan, out); break;
  }
  out.finish();
}

}  // namespace gs::datagen
