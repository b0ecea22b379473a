#include "datagen/dataset_plan.hpp"
#include "datagen/genre_catalog.hpp"
#include "datagen/tables.hpp"
#include "generated_rows.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>

using namespace gs::datagen;
using gs::datagen::testing::generated_rows;
using gs::datagen::testing::generated_text;
using gs::datagen::testing::Rows;

namespace {

struct Expected {
  double scale;
  std::uint64_t users, tunes, notes, references;
};

double share(std::size_t part, std::size_t whole) {
  return static_cast<double>(part) / static_cast<double>(whole);
}

std::set<std::string> column(const Rows &rows, std::size_t index) {
  std::set<std::string> values;
  for (const auto &row : rows) values.insert(row[index]);
  return values;
}

}  // namespace

TEST_CASE("row counts per table at scale 1 and 10") {
  for (const Expected expected :
       {Expected{1, 20, 3006, 1500, 2400}, Expected{10, 200, 30060, 15000, 24000}}) {
    CAPTURE(expected.scale);
    const DatasetPlan plan = plan_dataset(expected.scale, 1);
    CHECK(row_count(plan, Table::genre) == 25);
    CHECK(row_count(plan, Table::user_profile) == expected.users);
    CHECK(row_count(plan, Table::tune) == expected.tunes);
    CHECK(row_count(plan, Table::note) == expected.notes);
    CHECK(row_count(plan, Table::reference) == expected.references);
    CHECK(row_count(plan, Table::playlist) >= expected.users);
    CHECK(row_count(plan, Table::playlist) <= 2 * expected.users);
    CHECK(row_count(plan, Table::playlist_tune) >= 30 * expected.users);
    CHECK(row_count(plan, Table::playlist_tune) <= 150 * expected.users);
    CHECK(row_count(plan, Table::user_genre_selection) >= 2 * expected.users);
    CHECK(row_count(plan, Table::user_genre_selection) <= 6 * expected.users);
    for (const Table table : load_order) {
      CAPTURE(table_name(table));
      const Rows rows = generated_rows(plan, table);
      CHECK(rows.size() == row_count(plan, table));
      const std::size_t columns =
          std::count(copy_columns(table).begin(), copy_columns(table).end(), ',') + 1;
      for (const auto &row : rows) REQUIRE(row.size() == columns);
    }
  }
}

TEST_CASE("per-user shapes at scale 10") {
  const DatasetPlan plan = plan_dataset(10, 1);
  std::size_t picks = 0, unselected = 0;
  for (std::uint32_t u = 0; u < plan.users.size(); ++u) {
    const UserPlan &user = plan.users[u];
    CAPTURE(u);
    CHECK(user.playlists >= 1);
    CHECK(user.playlists <= 2);
    CHECK(user.genres.size() >= 2);
    CHECK(user.genres.size() <= 6);
    CHECK(user.private_tunes <= 10);
    CHECK(user.playlist_tunes.size() >= 30);
    CHECK(user.playlist_tunes.size() <= 150);
    std::set<std::pair<std::uint32_t, std::uint32_t>> keys;
    for (const auto &entry : user.playlist_tunes) {
      CHECK(keys.insert({entry.playlist, entry.tune}).second);  // playlist_tune's primary key
      CHECK(entry.playlist >= user.first_playlist);
      CHECK(entry.playlist < user.first_playlist + user.playlists);
      CHECK(plan.tunes[entry.tune].owner == -1);
      if (u != all_genre_user) {
        ++picks;
        const auto genre = plan.tunes[entry.tune].genre;
        unselected += std::find(user.genres.begin(), user.genres.end(), genre) == user.genres.end();
      }
    }
    for (std::uint32_t t = user.first_private_tune;
         t < user.first_private_tune + user.private_tunes; ++t) {
      CHECK(plan.tunes[t].owner == static_cast<std::int32_t>(u));
    }
  }
  CHECK(share(unselected, picks) == Approx(0.10).margin(0.02));
  std::size_t deleted = 0;
  for (const auto &tune : plan.tunes) deleted += tune.deleted;
  CHECK(share(deleted, plan.tunes.size()) == Approx(0.02).margin(0.004));
}

TEST_CASE("the named users have the genre sets docs/dataset.md asks for") {
  for (double scale : {1.0, 10.0}) {
    CAPTURE(scale);
    const DatasetPlan plan = plan_dataset(scale, 3);
    const UserPlan &two = plan.users[two_genre_user];
    CHECK(two.name == "two-genre-user");
    CHECK(two.genres ==
          std::vector<std::uint8_t>{two_genre_user_genres.begin(), two_genre_user_genres.end()});
    for (std::uint32_t p = two.first_playlist; p < two.first_playlist + two.playlists; ++p) {
      const auto genre_default = plan.playlists[p].genre_default;
      CHECK((genre_default == -1 || genre_default == 4 || genre_default == 5));
    }
    for (const auto &entry : two.playlist_tunes) {
      const auto genre = plan.tunes[entry.tune].genre;
      CHECK((genre == 4 || genre == 5));
    }

    const UserPlan &all = plan.users[all_genre_user];
    CHECK(all.name == "all-genre-user");
    std::set<std::uint8_t> effective(all.genres.begin(), all.genres.end());
    for (const auto &entry : all.playlist_tunes) {
      if (!entry.deleted && !plan.tunes[entry.tune].deleted)
        effective.insert(plan.tunes[entry.tune].genre);
    }
    CHECK(effective.size() == genre_count);
  }
}

TEST_CASE("notes and references: system share, deleted share, bulk-import ties") {
  const DatasetPlan plan = plan_dataset(10, 1);
  // note: user_ref is column 1, deleted 8, last_modified_at 10
  // reference: user_ref is column 4, deleted 9, last_modified_at 11
  struct Case {
    Table table;
    std::size_t user, deleted, modified;
    double system, deleted_share;
  };
  for (const Case c :
       {Case{Table::note, 1, 8, 10, 0.60, 0.05}, Case{Table::reference, 4, 9, 11, 0.70, 0.03}}) {
    CAPTURE(table_name(c.table));
    const Rows rows = generated_rows(plan, c.table);
    std::size_t system = 0, deleted = 0, bulk = 0;
    std::map<std::string, std::size_t> per_timestamp;
    for (const auto &row : rows) {
      system += row[c.user] == "\\N";
      deleted += row[c.deleted] == "t";
      ++per_timestamp[row[c.modified]];
    }
    for (const Micros at : plan.bulk_timestamps) {
      const std::size_t tied = per_timestamp[format_timestamp(at)];
      CHECK(tied > rows.size() / 40);  // each of the five takes ~6%
      bulk += tied;
    }
    CHECK(share(system, rows.size()) == Approx(c.system).margin(0.02));
    CHECK(share(deleted, rows.size()) == Approx(c.deleted_share).margin(0.01));
    CHECK(share(bulk, rows.size()) == Approx(0.30).margin(0.02));
    for (const auto &[timestamp, count] : per_timestamp) {
      REQUIRE(timestamp >= "2024-01-01 00:00:00.000000");
      REQUIRE(timestamp < "2026-01-01 00:00:00.000000");
    }
  }
}

TEST_CASE("generated rows reference only generated parents") {
  const DatasetPlan plan = plan_dataset(1, 9);
  const auto genres = column(generated_rows(plan, Table::genre), 0);
  const auto users = column(generated_rows(plan, Table::user_profile), 0);
  const Rows tunes = generated_rows(plan, Table::tune);
  const auto tune_ids = column(tunes, 0);
  const auto playlists = column(generated_rows(plan, Table::playlist), 0);
  CHECK(tune_ids.size() == tunes.size());  // ids unique
  for (const auto &tune : tunes) {
    REQUIRE(genres.contains(tune[6]));
    REQUIRE((tune[7] == "\\N" || users.contains(tune[7])));
  }
  for (const auto &row : generated_rows(plan, Table::playlist_tune)) {
    REQUIRE(playlists.contains(row[0]));
    REQUIRE(tune_ids.contains(row[1]));
  }
  for (const auto &row : generated_rows(plan, Table::user_genre_selection)) {
    REQUIRE(users.contains(row[0]));
    REQUIRE(genres.contains(row[1]));
  }
  for (const auto &row : generated_rows(plan, Table::note)) {
    REQUIRE((row[1] == "\\N" || users.contains(row[1])));
    REQUIRE(tune_ids.contains(row[2]));
  }
  for (const auto &row : generated_rows(plan, Table::reference)) {
    REQUIRE(tune_ids.contains(row[3]));
    REQUIRE((row[4] == "\\N" || users.contains(row[4])));
  }
}

TEST_CASE("same seed and scale give identical bytes; another seed does not") {
  const DatasetPlan first = plan_dataset(1, 11);
  const DatasetPlan again = plan_dataset(1, 11);
  const DatasetPlan other = plan_dataset(1, 12);
  for (const Table table : load_order) {
    CAPTURE(table_name(table));
    const std::string text = generated_text(first, table);
    CHECK(text == generated_text(again, table));
    if (table != Table::genre) CHECK(text != generated_text(other, table));
  }
}

TEST_CASE("chunks hold whole rows and report the rows done so far") {
  const DatasetPlan plan = plan_dataset(1, 1);
  std::uint64_t last_rows = 0;
  std::size_t chunks = 0;
  generate_rows(plan, Table::note, 4096, [&](std::string_view chunk, std::uint64_t rows_done) {
    ++chunks;
    CHECK(chunk.back() == '\n');
    CHECK(rows_done - last_rows ==
          static_cast<std::uint64_t>(std::count(chunk.begin(), chunk.end(), '\n')));
    last_rows = rows_done;
  });
  CHECK(chunks > 10);
  CHECK(last_rows == plan.notes);
}
