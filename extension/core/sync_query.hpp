// The SQL text of every query the sync functions run, one per shape, so each
// shape gets its own kept plan and every bound it uses is index-usable.
#pragma once

#include <string>

#include "core/page_args.hpp"

namespace gs {

enum class SyncTable { note, reference, tune };
enum class Paging { keyset, offset };

// The parameters every rows query is prepared with, in this order. A shape
// references only the ones it needs.
enum RowsParam {
  param_user_id = 1,   // uuid
  param_genre_ids,     // text[]
  param_after_ts,      // timestamptz
  param_after_id,      // uuid
  param_until_ts,      // timestamptz
  param_until_id,      // uuid
  param_limit,         // int4
  param_offset,        // int4
};
inline constexpr int rows_param_count = param_offset;

struct RowsShape {
  SyncTable table;
  Paging paging;
  BoundKind after;
  BoundKind until;
};

enum class GenreSource { effective, playlist_tunes };

// Dense numbering of all shapes, for a fixed-size plan cache.
inline constexpr int rows_slot_count = 3 * 2 * 3 * 3;
inline constexpr int genre_slot_count = 2;
inline constexpr int query_slot_count = rows_slot_count + genre_slot_count;
int query_slot(const RowsShape &shape);
int query_slot(GenreSource source);

const char *table_name(SyncTable table);

// quoted_schema is an already quoted identifier.
std::string rows_query(const RowsShape &shape, const std::string &quoted_schema);
// Returns one text[] value ($1 = user id): sorted in "C" order, distinct, never NULL.
std::string genres_query(GenreSource source, const std::string &quoted_schema);

}  // namespace gs
