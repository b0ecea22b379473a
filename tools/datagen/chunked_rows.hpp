#pragma once

#include "datagen/row_generator.hpp"

#include <string>

namespace gs::datagen {

// The buffer the per-table writers append rows to; hands full chunks on.
class ChunkedRows {
 public:
  ChunkedRows(std::size_t chunk_bytes, const ChunkSink &sink);

  std::string &buffer() noexcept { return buffer_; }
  // Call after each complete row.
  void row_done();
  // Hands on what is left.
  void finish();

 private:
  std::size_t chunk_bytes_;
  const ChunkSink &sink_;
  std::string buffer_;
  std::uint64_t rows_ = 0;
};

// One writer per table; row_generator.cpp dispatches to them.
void write_genres(const DatasetPlan &plan, ChunkedRows &out);
void write_user_profiles(const DatasetPlan &plan, ChunkedRows &out);
void write_tunes(const DatasetPlan &plan, ChunkedRows &out);
void write_playlists(const DatasetPlan &plan, ChunkedRows &out);
void write_playlist_tunes(const DatasetPlan &plan, ChunkedRows &out);
void write_genre_selections(const DatasetPlan &plan, ChunkedRows &out);
void write_notes(const DatasetPlan &plan, ChunkedRows &out);
void write_references(const DatasetPlan &plan, ChunkedRows &out);

}  // namespace gs::datagen
