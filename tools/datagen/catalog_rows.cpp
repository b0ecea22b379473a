// Rows of the catalog tables: genre, user_profile, tune.
#include "datagen/chunked_rows.hpp"
#include "datagen/genre_catalog.hpp"
#include "datagen/row_values.hpp"

#include <string>

namespace gs::datagen {
namespace {

constexpr std::array<std::string_view, 16> title_adjectives = {
    "Green",  "Silver", "Merry", "Lonesome", "Wandering", "Crooked", "Rolling", "Humours of",
    "Golden", "Windy",  "Old",   "Drunken",  "Lark's",    "Stony",   "Blue",    "Maid's"};
constexpr std::array<std::string_view, 16> title_nouns = {
    "Road",    "Harbour", "Fiddler", "Mountain", "Bridge", "Meadow",  "Piper", "Morning",
    "Kitchen", "Lass",    "Glen",    "River",    "Sailor", "Wedding", "Ferry", "Hill"};
constexpr std::array<std::string_view, 10> tune_types = {
    "reel",  "jig",   "hornpipe",   "polka",     "slip jig",
    "waltz", "march", "strathspey", "breakdown", "schottische"};
constexpr std::array<std::string_view, 8> tune_modes = {
    "D major", "G major", "A dorian", "E minor", "A mixolydian", "D dorian", "C major", "B minor"};
constexpr std::array<std::string_view, 4> structures = {"AABB", "AB", "AABBCC", "ABC"};

// An ABC-notation opening; one in a hundred ends with ABC's backslash line
// continuation, which COPY must escape.
std::string incipit(Prng &rng) {
  static constexpr std::string_view notes = "ABCDEFGabcdefg";
  std::string text = "|:";
  for (int bar = 0; bar < 2; ++bar) {
    for (int n = 0; n < 8; ++n) {
      text.push_back(notes[rng.below(notes.size())]);
      if (n == 3) text.push_back(' ');
    }
    text.append("|");
  }
  if (rng.chance(0.01)) {
    text.append("\\");
  }
  return text;
}

}  // namespace

void write_genres(const DatasetPlan &, ChunkedRows &out) {
  for (const GenreInfo &genre : genre_catalog) {
    CopyRow row(out.buffer());
    row.text(genre.id).text(genre.name).text(genre.region);
    row.text(std::string(genre.name) + " tunes from " + std::string(genre.region));
    row.end();
    out.row_done();
  }
}

void write_user_profiles(const DatasetPlan &plan, ChunkedRows &out) {
  Prng rng(plan.seed, Stream::user_rows);
  for (std::uint32_t u = 0; u < plan.users.size(); ++u) {
    const UserPlan &user = plan.users[u];
    CopyRow row(out.buffer());
    row.uuid(derived_uuid(plan.seed, Stream::users, u));
    row.text(user.name);
    row.text(user.name + "@example.org");
    row.timestamp(random_history_time(rng));
    row.end();
    out.row_done();
  }
}

void write_tunes(const DatasetPlan &plan, ChunkedRows &out) {
  Prng rng(plan.seed, Stream::tune_rows);
  std::string title;
  for (std::uint32_t t = 0; t < plan.tunes.size(); ++t) {
    const TunePlan &tune = plan.tunes[t];
    title.assign("The ");
    title.append(pick(rng, title_adjectives)).append(" ").append(pick(rng, title_nouns));
    CopyRow row(out.buffer());
    row.uuid(derived_uuid(plan.seed, Stream::tunes, t));
    row.text(title)
        .text(pick(rng, tune_types))
        .text(pick(rng, tune_modes))
        .text(pick(rng, structures));
    row.text(incipit(rng));
    row.text(genre_catalog[tune.genre].id);
    if (tune.owner < 0) {
      row.null();
    } else {
      row.uuid(derived_uuid(plan.seed, Stream::users, static_cast<std::uint64_t>(tune.owner)));
    }
    row.boolean(tune.deleted);
    row.integer(rng.between(1, 5));
    row.timestamp(random_history_time(rng));
    put_device_id(row, rng);
    row.end();
    out.row_done();
  }
}

}  // namespace gs::datagen
