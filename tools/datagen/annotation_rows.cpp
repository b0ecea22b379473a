// Rows of the annotation tables the sync RPCs serve: note, reference.
#include "datagen/chunked_rows.hpp"
#include "datagen/genre_catalog.hpp"
#include "datagen/row_values.hpp"

#include <string>

namespace gs::datagen {
namespace {

// Share of a user's annotations on tunes of their own (playlist or private);
// the rest land on any public tune, so some fall outside the user's genres.
constexpr double own_tune_share = 0.8;
constexpr double bulk_import_share = 0.3;
constexpr double public_share_of_user_rows = 0.3;

struct Attachment {
  std::int64_t user;  // -1: a system row (user_ref NULL)
  std::uint32_t tune;
};

Attachment attach(const DatasetPlan &plan, Prng &rng, double system_share) {
  if (rng.chance(system_share)) {
    return {-1, static_cast<std::uint32_t>(rng.below(plan.public_tunes))};
  }
  const auto u = static_cast<std::uint32_t>(rng.below(plan.users.size()));
  const UserPlan &user = plan.users[u];
  const std::uint64_t own = user.playlist_tunes.size() + user.private_tunes;
  if (own > 0 && rng.chance(own_tune_share)) {
    const std::uint64_t k = rng.below(own);
    const std::uint32_t tune =
        k < user.playlist_tunes.size()
            ? user.playlist_tunes[k].tune
            : user.first_private_tune + static_cast<std::uint32_t>(k - user.playlist_tunes.size());
    return {u, tune};
  }
  return {u, static_cast<std::uint32_t>(rng.below(plan.public_tunes))};
}

// Ties are deliberate: a pager that breaks them wrongly loses or repeats rows.
Micros modified_time(const DatasetPlan &plan, Prng &rng) {
  if (rng.chance(bulk_import_share)) {
    return plan.bulk_timestamps[rng.below(plan.bulk_timestamps.size())];
  }
  return random_history_time(rng);
}

void put_owner(CopyRow &row, const DatasetPlan &plan, const Attachment &at) {
  if (at.user < 0) {
    row.null();
  } else {
    row.uuid(derived_uuid(plan.seed, Stream::users, static_cast<std::uint64_t>(at.user)));
  }
}

constexpr std::array<std::string_view, 12> note_phrases = {
    "Learned this from a session recording.",
    "Watch the roll in bar 3.",
    "Play the B part an octave up the second time.",
    "Nice with a slow air before it.",
    "Key change works well going into the next tune.",
    "Double stops on the last phrase.",
    "Remember the triplet at the turn.",
    "Goes well after a slip jig.",
    "The setting here differs from the book.",
    "Needs more lift on the off-beat.",
    "Tried it with a capo at 2.",
    "Ending: hold the last note two beats.",
};

// Real notes hold what users type: line breaks, tabs, Windows paths, quotes.
// These exercise COPY escaping end to end.
constexpr std::array<std::string_view, 4> awkward_notes = {
    "Part B:\n  watch the cut\ton beat 3",
    "Saved from C:\\Users\\me\\tunes\\setting.abc",
    "Line one\r\nline two",
    "She said \"take it slow\" \u2014 and 'lift' it",
};

}  // namespace

void write_notes(const DatasetPlan &plan, ChunkedRows &out) {
  Prng rng(plan.seed, Stream::notes);
  for (std::uint64_t n = 0; n < plan.notes; ++n) {
    const Attachment at = attach(plan, rng, 0.6);
    const UserPlan *owner = at.user < 0 ? nullptr : &plan.users[static_cast<std::size_t>(at.user)];
    const Micros modified = modified_time(plan, rng);
    CopyRow row(out.buffer());
    row.uuid(derived_uuid(plan.seed, Stream::notes, n));
    put_owner(row, plan, at);
    row.uuid(derived_uuid(plan.seed, Stream::tunes, at.tune));
    if (owner != nullptr && rng.chance(0.5)) {
      row.uuid(derived_uuid(plan.seed, Stream::playlists,
                            owner->first_playlist + rng.below(owner->playlists)));
    } else {
      row.null();
    }
    if (rng.chance(0.9)) {
      row.timestamp(modified - static_cast<Micros>(rng.below(60 * micros_per_day)));
    } else {
      row.null();
    }
    row.text(rng.chance(0.02) ? pick(rng, awkward_notes) : pick(rng, note_phrases));
    row.boolean(owner != nullptr && rng.chance(public_share_of_user_rows));
    put_optional_flag(row, rng);
    row.boolean(rng.chance(0.05));
    row.integer(rng.between(1, 5));
    row.timestamp(modified);
    put_device_id(row, rng);
    row.end();
    out.row_done();
  }
}

void write_references(const DatasetPlan &plan, ChunkedRows &out) {
  static constexpr std::array<std::string_view, 4> ref_types = {"website", "audio", "video",
                                                                "sheet-music"};
  static constexpr std::array<std::string_view, 5> titles = {
      "Session recording", "Tune page", "Video lesson", "Sheet music", "Archive recording"};
  Prng rng(plan.seed, Stream::references);
  std::string url;
  for (std::uint64_t r = 0; r < plan.references; ++r) {
    const Attachment at = attach(plan, rng, 0.7);
    const Micros modified = modified_time(plan, rng);
    const std::string_view ref_type = pick(rng, ref_types);
    url.assign("https://tunes.example.org/");
    url.append(genre_catalog[plan.tunes[at.tune].genre].id)
        .append("/")
        .append(ref_type)
        .append("/");
    url.append(std::to_string(r));
    CopyRow row(out.buffer());
    row.uuid(derived_uuid(plan.seed, Stream::references, r));
    row.text(url).text(ref_type);
    row.uuid(derived_uuid(plan.seed, Stream::tunes, at.tune));
    put_owner(row, plan, at);
    if (rng.chance(0.4)) {
      row.text(pick(rng, note_phrases));  // comment
    } else {
      row.null();
    }
    row.text(pick(rng, titles));
    row.boolean(at.user >= 0 && rng.chance(public_share_of_user_rows));
    put_optional_flag(row, rng);
    row.boolean(rng.chance(0.03));
    row.integer(rng.between(1, 5));
    row.timestamp(modified);
    put_device_id(row, rng);
    row.end();
    out.row_done();
  }
}

}  // namespace gs::datagen
