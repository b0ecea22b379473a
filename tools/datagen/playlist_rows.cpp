// Rows of the per-user tables: playlist, playlist_tune, user_genre_selection.
#include "datagen/chunked_rows.hpp"
#include "datagen/genre_catalog.hpp"
#include "datagen/row_values.hpp"

namespace gs::datagen {
namespace {

constexpr std::array<std::string_view, 6> playlist_names = {
    "Session tunes", "Practice", "Learning", "Gig set", "Favourites", "Slow session"};

// With `probability`, a time up to `window` before `at`; otherwise NULL.
void put_optional_time_before(CopyRow &row, Prng &rng, double probability, Micros at,
                              Micros window) {
  if (rng.chance(probability)) {
    row.timestamp(at - static_cast<Micros>(rng.below(static_cast<std::uint64_t>(window))));
  } else {
    row.null();
  }
}

}  // namespace

void write_playlists(const DatasetPlan &plan, ChunkedRows &out) {
  Prng rng(plan.seed, Stream::playlist_rows);
  for (std::uint32_t p = 0; p < plan.playlists.size(); ++p) {
    const PlaylistPlan &playlist = plan.playlists[p];
    CopyRow row(out.buffer());
    row.uuid(derived_uuid(plan.seed, Stream::playlists, p));
    row.uuid(derived_uuid(plan.seed, Stream::users, playlist.user));
    row.text(pick(rng, playlist_names));
    row.null();  // instrument_ref: the dataset has no instruments
    if (playlist.genre_default < 0) {
      row.null();
    } else {
      row.text(genre_catalog[static_cast<std::size_t>(playlist.genre_default)].id);
    }
    row.boolean(false);
    row.integer(rng.between(1, 5));
    row.timestamp(random_history_time(rng));
    row.end();
    out.row_done();
  }
}

void write_playlist_tunes(const DatasetPlan &plan, ChunkedRows &out) {
  Prng rng(plan.seed, Stream::playlist_tune_rows);
  for (const UserPlan &user : plan.users) {
    for (const PlaylistTunePlan &entry : user.playlist_tunes) {
      CopyRow row(out.buffer());
      row.uuid(derived_uuid(plan.seed, Stream::playlists, entry.playlist));
      row.uuid(derived_uuid(plan.seed, Stream::tunes, entry.tune));
      const Micros modified = random_history_time(rng);
      put_optional_time_before(row, rng, 0.6, modified, micros_per_day);       // current
      put_optional_time_before(row, rng, 0.3, modified, 30 * micros_per_day);  // learned
      row.boolean(entry.deleted);
      row.integer(rng.between(1, 5));
      row.timestamp(modified);
      row.end();
      out.row_done();
    }
  }
}

void write_genre_selections(const DatasetPlan &plan, ChunkedRows &out) {
  Prng rng(plan.seed, Stream::selection_rows);
  for (std::uint32_t u = 0; u < plan.users.size(); ++u) {
    for (const std::uint8_t genre : plan.users[u].genres) {
      CopyRow row(out.buffer());
      row.uuid(derived_uuid(plan.seed, Stream::users, u));
      row.text(genre_catalog[genre].id);
      row.timestamp(random_history_time(rng));
      row.end();
      out.row_done();
    }
  }
}

}  // namespace gs::datagen
