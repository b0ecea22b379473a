#pragma once

#include "datagen/timestamp.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace gs::datagen {

// Everything that ties tables together, decided before any row is written:
// who owns which tunes, which genres each user selected, which tunes sit in
// whose playlists. Rows are then generated table by table from this plan
// (row_generator.hpp); ids come from derived_uuid(seed, kind, index).

struct TunePlan {
  std::uint8_t genre;
  bool deleted;
  std::int32_t owner;  // user index for a private tune, -1 for a public one
};

struct PlaylistTunePlan {
  std::uint32_t tune;
  std::uint32_t playlist;
  bool deleted;
};

struct PlaylistPlan {
  std::uint32_t user;
  std::int16_t genre_default;  // genre index, -1 for NULL
};

struct UserPlan {
  std::string name;
  std::vector<std::uint8_t> genres;  // selected, ascending genre indices
  std::uint32_t first_private_tune = 0;
  std::uint32_t private_tunes = 0;
  std::uint32_t first_playlist = 0;
  std::uint32_t playlists = 0;
  std::vector<PlaylistTunePlan> playlist_tunes;
};

// The two named users are the first two; user_profile.name holds their role.
inline constexpr std::uint32_t two_genre_user = 0;
inline constexpr std::uint32_t all_genre_user = 1;
inline constexpr const char *two_genre_user_name = "two-genre-user";
inline constexpr const char *all_genre_user_name = "all-genre-user";

struct DatasetPlan {
  std::uint64_t seed = 0;
  std::vector<UserPlan> users;
  std::vector<TunePlan> tunes;  // public tunes first, then each user's private ones
  std::uint32_t public_tunes = 0;
  std::vector<PlaylistPlan> playlists;
  std::uint64_t playlist_tune_rows = 0;
  std::uint64_t selection_rows = 0;
  std::uint64_t notes = 0;
  std::uint64_t references = 0;
  // ~30% of notes and references carry one of these (ties for pagers).
  std::array<Micros, 5> bulk_timestamps{};
};

// Deterministic in (scale, seed). Throws std::invalid_argument for a scale
// outside [min_scale, max_scale].
DatasetPlan plan_dataset(double scale, std::uint64_t seed);

}  // namespace gs::datagen
