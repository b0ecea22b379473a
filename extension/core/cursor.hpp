// The opaque, versioned text cursor of sync_pull and sync_range_checksum:
//
//   v1:<microseconds since 1970-01-01 00:00:00 of last_modified_at>:<id>
//
// last_modified_at is a `timestamp without time zone`; the number is that
// wall-clock value's distance from the epoch, so no TimeZone ever touches
// it, and microseconds keep it exact. The id is the canonical lower-case
// uuid. A cursor names a row position: "after" cursors are exclusive,
// "until" cursors inclusive.
#pragma once

#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/uuid_text.hpp"

namespace gs {

struct Cursor {
  std::int64_t unix_micros = 0;
  UuidBytes id{};

  friend bool operator==(const Cursor &, const Cursor &) = default;
};

// PostgreSQL's timestamps count from 2000-01-01; cursors from 1970-01-01.
inline constexpr std::int64_t postgres_epoch_unix_micros = 946684800LL * 1000000;
// The smallest cursor is -infinity's (PostgreSQL's INT64_MIN) in cursor
// units. The largest is INT64_MAX (year 294247): the last 30 years of
// PostgreSQL's range, and +infinity, do not fit in a signed 64-bit count
// from 1970.
inline constexpr std::int64_t min_unix_micros = INT64_MIN + postgres_epoch_unix_micros;

// The cursor's number of a PostgreSQL timestamp (microseconds from 2000);
// throws Error 22008 "<what> is beyond the range of cursors" where there is
// none.
std::int64_t cursor_unix_micros(std::int64_t pg_timestamp, std::string_view what);

std::string format_cursor(const Cursor &cursor);

// nullopt for anything but a well-formed v1 cursor within the timestamp range.
std::optional<Cursor> try_parse_cursor(std::string_view text);

// As try_parse_cursor, but throws gs::Error 22P02 naming the argument.
Cursor parse_cursor(std::string_view text, const char *arg);

// What a v2 cursor (sync_pull's next_cursor) carries besides its position:
// everything the server needs to know of the worker's replica to bring it to
// the user's current filter (docs/protocol.md, "Filter changes").
//
//   v2/<position>/<moves_seen>/<flags>/<genres>[/<change>]
//   position   <unix micros>:<uuid> of the last row of the main stream, or -
//   moves_seen unix micros: the replica reflects every move stamped before it
//   flags      f while a first sync is under way (tunes: no deleted ones), else -
//   genres     the filter the replica holds, each genre percent-encoded and
//              followed by a comma, in "C" order
//   change     a filter change being delivered: <kind>/<genres>/<from>/<to>/<progress>,
//              kind a (every row of the filter up to position: a v1 cursor's
//              catch-up) or g (rows of the genres that entered or left, and
//              the rows moved in [from, to)); progress the last candidate key
//              handled, or -
//
// Parsing is strict: only the text format_sync_state writes is accepted.
struct FilterChange {
  bool everything = false;
  std::vector<std::string> genres;  // "C" order, distinct
  std::int64_t moves_from = 0;
  std::int64_t moves_to = 0;
  std::optional<Cursor> progress;

  friend bool operator==(const FilterChange &, const FilterChange &) = default;
};

struct SyncState {
  std::optional<Cursor> position;
  std::int64_t moves_seen = 0;
  bool first_sync = false;
  std::vector<std::string> genres;  // "C" order, distinct
  std::optional<FilterChange> change;

  friend bool operator==(const SyncState &, const SyncState &) = default;
};

std::string format_sync_state(const SyncState &state);
std::optional<SyncState> try_parse_sync_state(std::string_view text);

// A cursor argument of sync_pull: a v1 cursor (a position only) or a v2
// state; throws 22P02 naming the argument for anything else.
struct PullCursor {
  std::optional<Cursor> v1;
  std::optional<SyncState> v2;
};
PullCursor parse_pull_cursor(std::string_view text, const char *arg);

}  // namespace gs
