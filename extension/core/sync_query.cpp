#include "core/sync_query.hpp"

#include <stdexcept>

namespace gs {

namespace {

int bound_index(BoundKind kind) {
  switch (kind) {
    case BoundKind::none: return 0;
    case BoundKind::timestamp: return 1;
    case BoundKind::timestamp_and_id: return 2;
  }
  throw std::logic_error("bad BoundKind");
}

std::string param(RowsParam p) { return "$" + std::to_string(static_cast<int>(p)); }

// The seed's filter. Note and reference rows take it from their tune; tunes
// from themselves, so `t` is the tune alias in both.
std::string genre_filter() {
  return "((t.genre OPERATOR(pg_catalog.=) ANY (" + param(param_genre_ids) +
         ") AND t.private_for IS NULL) OR t.private_for OPERATOR(pg_catalog.=) " +
         param(param_user_id) + ")";
}

// `row` is the alias of the table whose (last_modified_at, id) pages.
std::string lower_bound(BoundKind kind, const std::string &row) {
  // Comparing the timestamp column with the timestamptz argument is the
  // seed's semantics (session TimeZone); the cross-type operators belong to
  // the btree family, so both forms stay index conditions.
  switch (kind) {
    case BoundKind::none: return {};
    case BoundKind::timestamp:
      return " AND " + row + ".last_modified_at OPERATOR(pg_catalog.>) " + param(param_after_ts);
    case BoundKind::timestamp_and_id:
      return " AND (" + row + ".last_modified_at, " + row + ".id) OPERATOR(pg_catalog.>) (" + param(param_after_ts) + ", " +
             param(param_after_id) + ")";
  }
  throw std::logic_error("bad BoundKind");
}

std::string upper_bound(BoundKind kind, const std::string &row) {
  switch (kind) {
    case BoundKind::none: return {};
    case BoundKind::timestamp:
      return " AND " + row + ".last_modified_at OPERATOR(pg_catalog.<=) " + param(param_until_ts);
    case BoundKind::timestamp_and_id:
      return " AND (" + row + ".last_modified_at, " + row + ".id) OPERATOR(pg_catalog.<=) (" + param(param_until_ts) + ", " +
             param(param_until_id) + ")";
  }
  throw std::logic_error("bad BoundKind");
}

}  // namespace

int query_slot(const RowsShape &shape) {
  int slot = static_cast<int>(shape.table);
  slot = slot * 2 + static_cast<int>(shape.paging);
  slot = slot * 3 + bound_index(shape.after);
  slot = slot * 3 + bound_index(shape.until);
  return slot;
}

int query_slot(GenreSource source) { return rows_slot_count + static_cast<int>(source); }

const char *table_name(SyncTable table) {
  switch (table) {
    case SyncTable::note: return "note";
    case SyncTable::reference: return "reference";
    case SyncTable::tune: return "tune";
  }
  throw std::logic_error("bad SyncTable");
}

std::string rows_query(const RowsShape &shape, const std::string &schema) {
  if (shape.paging == Paging::offset &&
      (shape.after == BoundKind::timestamp_and_id || shape.until != BoundKind::none))
    throw std::logic_error("offset paging takes only an after timestamp");

  // The filter is written against the tune alias `t`; for tunes the paged
  // row is the tune itself.
  const std::string row = shape.table == SyncTable::tune ? "t" : "r";
  std::string sql = "SELECT " + row + ".* FROM " + schema + "." + table_name(shape.table) + " " + row;
  if (shape.table != SyncTable::tune)
    sql += " JOIN " + schema + ".tune t ON t.id OPERATOR(pg_catalog.=) r.tune_ref";
  sql += " WHERE " + genre_filter();
  if (shape.table == SyncTable::tune) {
    // A first sync has no use for deleted tunes; an incremental one needs
    // them, since the flag is how the client learns of the deletion.
    if (shape.after == BoundKind::none) sql += " AND NOT t.deleted";
  } else {
    sql += " AND NOT t.deleted AND (r.user_ref IS NULL OR r.user_ref OPERATOR(pg_catalog.=) " +
           param(param_user_id) + ")";
  }
  sql += lower_bound(shape.after, row) + upper_bound(shape.until, row);
  sql += " ORDER BY " + row + ".last_modified_at, " + row + ".id";
  sql += " LIMIT " + param(param_limit);
  if (shape.paging == Paging::offset) sql += " OFFSET " + param(param_offset);
  return sql;
}

std::string genres_query(GenreSource source, const std::string &schema) {
  const std::string playlist_tunes =
      "SELECT t.genre FROM " + schema + ".playlist p JOIN " + schema +
      ".playlist_tune pt ON pt.playlist_ref OPERATOR(pg_catalog.=) p.playlist_id JOIN " + schema +
      ".tune t ON t.id OPERATOR(pg_catalog.=) pt.tune_ref"
      " WHERE p.user_ref OPERATOR(pg_catalog.=) $1 AND NOT p.deleted AND NOT pt.deleted"
      " AND NOT t.deleted AND t.genre IS NOT NULL";
  std::string sources = playlist_tunes;
  if (source == GenreSource::effective)
    sources = "SELECT s.genre_id FROM " + schema +
              ".user_genre_selection s WHERE s.user_id OPERATOR(pg_catalog.=) $1"
              " UNION SELECT p.genre_default FROM " + schema +
              ".playlist p WHERE p.user_ref OPERATOR(pg_catalog.=) $1 AND NOT p.deleted"
              " AND p.genre_default IS NOT NULL"
              " UNION " + playlist_tunes;
  return "SELECT COALESCE(pg_catalog.array_agg(DISTINCT g.genre COLLATE \"C\""
         " ORDER BY g.genre COLLATE \"C\"), '{}'::pg_catalog.text[]) FROM (" + sources + ") g(genre)";
}

}  // namespace gs
