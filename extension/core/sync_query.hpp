// The SQL text of every query the sync functions run, one per shape, so each
// shape gets its own kept plan and every bound it uses is index-usable.
#pragma once

#include <string>
#include <string_view>

#include "core/page_args.hpp"

namespace gs {

enum class SyncTable { note, reference, tune };

// What a rows query produces.
enum class QueryKind {
  offset_rows,     // the seed's drop-ins: LIMIT/OFFSET, no horizon
  keyset_rows,     // page functions: keyset bounds, stops at the horizon
  envelope,        // sync_pull: one row with the page as jsonb and its last key
  checksum,        // sync_range_checksum: count and checksum of a range
  bounds,          // sync_partition_bounds: per part, the row count and last key
  bounds_sampled,  // the same over a block sample of the table
  change,          // sync_pull during a filter change: the rows that may have entered or
                   // left the filter, each as jsonb when it is in the filter (else NULL),
                   // with its key (docs/protocol.md, "Filter changes")
};

// The type the bounds' timestamps arrive in. `timestamp` is the column's own
// type: cursors carry its value, and the page functions and the bounds
// convert their timestamptz arguments to it in genre_sync.stamp_time_zone
// first, so the comparison never depends on the session's TimeZone.
// `timestamptz` is the seed's drop-ins' alone: their argument meets the
// column under the session TimeZone, as in the seed's SQL.
enum class BoundType { timestamptz, timestamp };

// The parameters every rows query is prepared with, in this order. A shape
// references only the ones it needs.
enum RowsParam {
  param_user_id = 1,     // uuid
  param_genre_ids,       // text[]
  param_after_ts,        // BoundType
  param_after_id,        // uuid
  param_until_ts,        // BoundType
  param_until_id,        // uuid
  param_limit,           // int4 (envelope: page size + 1)
  param_offset,          // int4 (envelope: page size)
  param_horizon,         // timestamp; NULL (unknown) returns nothing
  param_parts,           // int4
  param_sample_percent,  // float4, of the table's blocks
  param_change_genres,   // text[]: genres that entered or left the filter
  param_moved_tunes,     // uuid[]: tunes that moved in the change's window
  param_seen_tunes,      // uuid[]: those of them that were the user's to see before
  param_moved_rows,      // uuid[]: the table's notes or references that moved
  param_seen_rows,       // uuid[]: those of them that were the user's to see before
};
inline constexpr int rows_param_count = param_seen_rows;

// How a keyset or envelope query on note or reference reaches its rows. The
// key index (extension/sql/1.1--1.2/10_key_index.sql) holds, per row, its
// key and what the filter reads from its tune.
enum class RowsAccess {
  app_tables,           // the table's (last_modified_at, id) index, each row's tune probed
  keys_by_time,         // the key index in key order, filtered index-only, each key's row
                        // fetched by id
  keys_by_time_merged,  // the same keys merge-joined to the table's own
                        // (last_modified_at, id) index, walking both once
  keys_by_genre,        // one ordered key stream per genre and one of the user's private
                        // tunes, merged, each key's row fetched by id
};
// Users with more genres than this read the keys by time: past it, the
// merged streams cost more than filtering keys that are mostly the user's.
inline constexpr int max_genre_streams = 8;

struct RowsShape {
  SyncTable table;
  QueryKind kind;
  BoundKind after;
  BoundKind until;
  BoundType bound_type = BoundType::timestamp;  // the drop-ins ask for timestamptz
  RowsAccess access = RowsAccess::app_tables;
  int genre_streams = 0;  // keys_by_genre: the number of genres, at most max_genre_streams
  // Tunes: leave out deleted tunes although the page has an after bound (a
  // first sync's later pages; without an after bound they are always left out).
  bool first_sync = false;
};

enum class GenreSource { effective, playlist_tunes };

// Dense numbering of every kept plan, for a fixed-size plan cache: the rows
// shapes first, then the queries of fixed text.
inline constexpr int rows_access_variants = 3 + (max_genre_streams + 1);
inline constexpr int rows_slot_count = 3 * 7 * 3 * 3 * 2 * 2 * rows_access_variants;
enum FixedSlot {
  effective_genres_slot = rows_slot_count,
  playlist_tune_genres_slot,
  moves_probe_slot,
  moves_window_slot,
  horizon_prepared_slot,
  horizon_published_slot,
  horizon_publish_slot,
  query_slot_count
};
int query_slot(const RowsShape &shape);
int query_slot(GenreSource source);

const char *table_name(SyncTable table);
// The key index's side table of note or reference (the key index serves
// tunes from indexes on tune itself); throws std::logic_error for tune.
const char *key_table_name(SyncTable table);
// "$<n>": how the query texts reference a parameter.
std::string rows_param(RowsParam p);
// Throws 22023 naming the argument for anything but note, reference, tune.
SyncTable parse_table(std::string_view name, const char *arg);

// quoted_schema is an already quoted identifier.
std::string rows_query(const RowsShape &shape, const std::string &quoted_schema);
// Returns one text[] value ($1 = user id): sorted in "C" order, distinct, never NULL.
std::string genres_query(GenreSource source, const std::string &quoted_schema);
// ($1, $2 timestamp) -> whether any row moved at or after $1 and before $2
// (extension/sql/1.2--1.3/10_moves.sql): one index probe.
std::string moves_probe_query(const std::string &quoted_schema);
// ($1, $2 timestamp, $3 user uuid, $4 text[] genres, $5 table, $6 text[]
// genres that entered or left) -> per row of $5 or tune that moved in
// [$1, $2), and per tune that ever moved away from one of $6 (its move may
// lie outside any window the replica will look at again): whether it is a
// tune, its id, and whether it was the user's to see before (private to the
// user, or public (NULL user) with one of the genres $4; notes and
// references: the user's or a system row).
std::string moves_window_query(const std::string &quoted_schema);

}  // namespace gs
