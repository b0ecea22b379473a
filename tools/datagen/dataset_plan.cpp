#include "datagen/dataset_plan.hpp"

#include "datagen/genre_catalog.hpp"
#include "datagen/prng.hpp"
#include "datagen/scale.hpp"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

namespace gs::datagen {
namespace {

constexpr double deleted_tune_share = 0.02;
constexpr double deleted_playlist_tune_share = 0.03;
constexpr double unselected_genre_pick_share = 0.10;
constexpr double genre_default_share = 0.85;

std::uint8_t draw_weighted_genre(Prng &rng) {
  std::uint64_t r = rng.below(1000);
  for (std::size_t g = 0; g < genre_count; ++g) {
    if (r < genre_catalog[g].weight) {
      return static_cast<std::uint8_t>(g);
    }
    r -= genre_catalog[g].weight;
  }
  return genre_count - 1;
}

bool contains(const std::vector<std::uint8_t> &genres, std::uint8_t genre) {
  return std::find(genres.begin(), genres.end(), genre) != genres.end();
}

std::vector<std::uint8_t> draw_selection(Prng &rng, std::uint32_t user) {
  if (user == two_genre_user) {
    return {two_genre_user_genres.begin(), two_genre_user_genres.end()};
  }
  const auto wanted = static_cast<std::size_t>(rng.between(2, 6));
  std::vector<std::uint8_t> genres;
  while (genres.size() < wanted) {
    const std::uint8_t genre = draw_weighted_genre(rng);
    if (!contains(genres, genre)) {
      genres.push_back(genre);
    }
  }
  std::sort(genres.begin(), genres.end());
  return genres;
}

std::string user_name(std::uint32_t user) {
  if (user == two_genre_user) return two_genre_user_name;
  if (user == all_genre_user) return all_genre_user_name;
  char name[32];
  std::snprintf(name, sizeof name, "user-%06u", user);
  return name;
}

void plan_users(DatasetPlan &plan, std::uint64_t user_count) {
  Prng rng(plan.seed, Stream::users);
  Prng selections(plan.seed, Stream::selections);
  plan.users.resize(user_count);
  for (std::uint32_t u = 0; u < user_count; ++u) {
    UserPlan &user = plan.users[u];
    user.name = user_name(u);
    user.genres = draw_selection(selections, u);
    plan.selection_rows += user.genres.size();
    user.private_tunes = static_cast<std::uint32_t>(rng.between(0, 10));
    user.first_playlist = static_cast<std::uint32_t>(plan.playlists.size());
    user.playlists = static_cast<std::uint32_t>(rng.between(1, 2));
    for (std::uint32_t p = 0; p < user.playlists; ++p) {
      const std::int16_t genre_default =
          rng.chance(genre_default_share) ? user.genres[rng.below(user.genres.size())] : -1;
      plan.playlists.push_back({u, genre_default});
    }
  }
}

// Public tunes get exact per-genre quotas (so the skew is the catalog's, at
// every scale), shuffled so genres interleave in the table.
void plan_tunes(DatasetPlan &plan, std::uint64_t tune_count) {
  Prng rng(plan.seed, Stream::tunes);
  std::uint64_t private_total = 0;
  for (const auto &user : plan.users) {
    private_total += user.private_tunes;
  }
  plan.public_tunes = static_cast<std::uint32_t>(tune_count - private_total);
  const auto quotas = allocate_by_weight(plan.public_tunes, genre_weights(), 1);
  plan.tunes.reserve(tune_count);
  for (std::size_t g = 0; g < genre_count; ++g) {
    for (std::uint64_t k = 0; k < quotas[g]; ++k) {
      plan.tunes.push_back({static_cast<std::uint8_t>(g), false, -1});
    }
  }
  for (std::size_t i = plan.tunes.size(); i > 1; --i) {
    std::swap(plan.tunes[i - 1], plan.tunes[rng.below(i)]);
  }
  for (std::uint32_t u = 0; u < plan.users.size(); ++u) {
    UserPlan &user = plan.users[u];
    user.first_private_tune = static_cast<std::uint32_t>(plan.tunes.size());
    for (std::uint32_t k = 0; k < user.private_tunes; ++k) {
      const std::uint8_t genre = user.genres[rng.below(user.genres.size())];
      plan.tunes.push_back({genre, false, static_cast<std::int32_t>(u)});
    }
  }
  for (auto &tune : plan.tunes) {
    tune.deleted = rng.chance(deleted_tune_share);
  }
}

struct TunesByGenre {
  std::vector<std::vector<std::uint32_t>> all;
  std::vector<std::vector<std::uint32_t>> alive;
};

// Also guarantees every genre a live public tune, which the all-genre user
// needs to reach all 25 genres through its playlists.
TunesByGenre index_public_tunes(DatasetPlan &plan) {
  TunesByGenre index{std::vector<std::vector<std::uint32_t>>(genre_count),
                     std::vector<std::vector<std::uint32_t>>(genre_count)};
  for (std::uint32_t t = 0; t < plan.public_tunes; ++t) {
    index.all[plan.tunes[t].genre].push_back(t);
  }
  for (std::size_t g = 0; g < genre_count; ++g) {
    for (std::uint32_t t : index.all[g]) {
      if (!plan.tunes[t].deleted) {
        index.alive[g].push_back(t);
      }
    }
    if (index.alive[g].empty()) {
      plan.tunes[index.all[g].front()].deleted = false;
      index.alive[g].push_back(index.all[g].front());
    }
  }
  return index;
}

std::uint8_t pick_genre(Prng &rng, const UserPlan &user, std::uint32_t u) {
  if (u == two_genre_user || !rng.chance(unselected_genre_pick_share)) {
    return user.genres[rng.below(user.genres.size())];
  }
  for (;;) {
    const std::uint8_t genre = draw_weighted_genre(rng);
    if (!contains(user.genres, genre)) {
      return genre;
    }
  }
}

void plan_playlist_tunes(DatasetPlan &plan) {
  const TunesByGenre by_genre = index_public_tunes(plan);
  Prng rng(plan.seed, Stream::playlist_tunes);
  for (std::uint32_t u = 0; u < plan.users.size(); ++u) {
    UserPlan &user = plan.users[u];
    const auto wanted = static_cast<std::size_t>(rng.between(30, 150));
    std::unordered_set<std::uint32_t> seen;
    const auto add = [&](std::uint32_t tune, bool may_delete) {
      const auto playlist =
          user.first_playlist + static_cast<std::uint32_t>(rng.below(user.playlists));
      const bool deleted = may_delete && rng.chance(deleted_playlist_tune_share);
      user.playlist_tunes.push_back({tune, playlist, deleted});
      seen.insert(tune);
    };
    if (u == all_genre_user) {
      for (std::size_t g = 0; g < genre_count; ++g) {
        add(by_genre.alive[g][rng.below(by_genre.alive[g].size())], false);
      }
    }
    // Small genres at small scales may run out of distinct tunes: give
    // up on duplicates after a bounded number of tries.
    for (std::size_t attempt = 0; user.playlist_tunes.size() < wanted && attempt < 4 * wanted;
         ++attempt) {
      const auto &candidates = by_genre.all[pick_genre(rng, user, u)];
      const std::uint32_t tune = candidates[rng.below(candidates.size())];
      if (!seen.contains(tune)) {
        add(tune, true);
      }
    }
    plan.playlist_tune_rows += user.playlist_tunes.size();
  }
}

}  // namespace

DatasetPlan plan_dataset(double scale, std::uint64_t seed) {
  const ScaleCounts counts = counts_for_scale(scale);
  DatasetPlan plan;
  plan.seed = seed;
  plan.notes = counts.notes;
  plan.references = counts.references;
  plan_users(plan, counts.users);
  plan_tunes(plan, counts.tunes);
  plan_playlist_tunes(plan);
  Prng bulk(seed, Stream::bulk_timestamps);
  for (auto &at : plan.bulk_timestamps) {
    at = history_start + static_cast<Micros>(bulk.below(history_end - history_start));
  }
  std::sort(plan.bulk_timestamps.begin(), plan.bulk_timestamps.end());
  return plan;
}

}  // namespace gs::datagen
