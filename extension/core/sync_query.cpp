#include "core/sync_query.hpp"

#include <stdexcept>

#include "core/bounds_query.hpp"
#include "core/cursor.hpp"
#include "core/error.hpp"

namespace gs {

namespace {

int access_index(const RowsShape &shape) {
  switch (shape.access) {
    case RowsAccess::app_tables: return 0;
    case RowsAccess::keys_by_time: return 1;
    case RowsAccess::keys_by_time_merged: return 2;
    case RowsAccess::keys_by_genre:
      if (shape.genre_streams < 0 || shape.genre_streams > max_genre_streams)
        throw std::logic_error("genre_streams out of range");
      return 3 + shape.genre_streams;
  }
  throw std::logic_error("bad RowsAccess");
}

int bound_index(BoundKind kind) {
  switch (kind) {
    case BoundKind::none: return 0;
    case BoundKind::timestamp: return 1;
    case BoundKind::timestamp_and_id: return 2;
  }
  throw std::logic_error("bad BoundKind");
}

// The seed's filter on the genre columns of `alias`: a tune (note and
// reference rows take it from their tune; tunes from themselves) or a key.
std::string genre_filter(const std::string &alias) {
  return "((" + alias + ".genre OPERATOR(pg_catalog.=) ANY (" + rows_param(param_genre_ids) +
         ") AND " + alias + ".private_for IS NULL) OR " + alias +
         ".private_for OPERATOR(pg_catalog.=) " + rows_param(param_user_id) + ")";
}

// `row` is the alias of the table whose (last_modified_at, id) pages. Both
// forms are index conditions on (last_modified_at, id), also across
// timestamp and timestamptz: those operators share the btree family.
std::string bound(BoundKind kind, const std::string &row, const char *op, RowsParam ts,
                  RowsParam id) {
  const std::string oper = std::string(" OPERATOR(pg_catalog.") + op + ") ";
  switch (kind) {
    case BoundKind::none: return {};
    case BoundKind::timestamp: return " AND " + row + ".last_modified_at" + oper + rows_param(ts);
    case BoundKind::timestamp_and_id:
      return " AND (" + row + ".last_modified_at, " + row + ".id)" + oper + "(" + rows_param(ts) +
             ", " + rows_param(id) + ")";
  }
  throw std::logic_error("bad BoundKind");
}

// The drop-ins never stop at the horizon.
std::string key_bounds(const RowsShape &shape, const std::string &alias) {
  std::string sql = bound(shape.after, alias, ">", param_after_ts, param_after_id) +
                    bound(shape.until, alias, "<=", param_until_ts, param_until_id);
  if (shape.kind != QueryKind::offset_rows)
    sql +=
        " AND " + alias + ".last_modified_at OPERATOR(pg_catalog.<) " + rows_param(param_horizon);
  return sql;
}

// One ordered stream per genre of the array (public rows of that genre) and
// one of the user's private rows, under UNION ALL: "(<select_from> WHERE
// <live><alias>.genre = ($2)[i] AND <alias>.private_for IS NULL<tail>)" and
// "(<select_from> WHERE <live><alias>.private_for = $1<tail>)". `tail` holds
// the rest of each stream: its other conditions, ORDER BY and LIMIT. Each
// stream is a subquery of its own, ordered and limited: planned apart, its
// genre is a constant of the index's first column, so the index reads it in
// key order, and Merge Append merges the streams lazily. (Pulled up into the
// UNION ALL, it would lose that.) The genres arrive distinct and without
// NULLs, so no row is in two streams.
std::string genre_streams(const RowsShape &shape, const std::string &select_from,
                          const std::string &alias, const std::string &live,
                          const std::string &tail) {
  std::string streams;
  for (int i = 1; i <= shape.genre_streams; ++i)
    streams += "(" + select_from + " WHERE " + live + alias + ".genre OPERATOR(pg_catalog.=) (" +
               rows_param(param_genre_ids) + ")[" + std::to_string(i) + "] AND " + alias +
               ".private_for IS NULL" + tail + ") UNION ALL ";
  return streams + "(" + select_from + " WHERE " + live + alias +
         ".private_for OPERATOR(pg_catalog.=) " + rows_param(param_user_id) + tail + ")";
}

// Tunes by genre: the streams come from the key index's two indexes on tune
// itself, (genre, last_modified_at, id) of public tunes and (private_for,
// last_modified_at, id).
std::string tunes_by_genre(const RowsShape &shape, const std::string &schema) {
  if (shape.access != RowsAccess::keys_by_genre || shape.kind == QueryKind::offset_rows)
    throw std::logic_error("tunes are read by genre only, and have no drop-in");
  // As filtered_rows: a first sync has no use for deleted tunes.
  const std::string live =
      shape.after == BoundKind::none || shape.first_sync ? " AND NOT t.deleted" : "";
  const std::string tail = live + key_bounds(shape, "t") +
                           " ORDER BY t.last_modified_at, t.id LIMIT " + rows_param(param_limit);
  return "SELECT s.* FROM (" +
         genre_streams(shape, "SELECT t.* FROM " + schema + ".tune t", "t", "", tail) +
         ") s ORDER BY s.last_modified_at, s.id";
}

// Keyset and envelope shapes: the rows through the key index, in key order,
// without LIMIT (rows_query adds it). The drop-ins' offset shape: the page
// itself, its offset skipped over keys alone, index-only, and only the
// page's rows fetched. A key row is the row's key and its tune's filter
// columns as of the same transaction, so the filter is read from the key.
// SplitStep::owner_keys: the page's keys alone, in key order, up to LIMIT.
std::string keyed_rows(const RowsShape &shape, const std::string &schema) {
  const bool offset = shape.kind == QueryKind::offset_rows;
  const bool bounds = shape.kind == QueryKind::bounds || shape.kind == QueryKind::bounds_sampled;
  if (shape.kind != QueryKind::keyset_rows && shape.kind != QueryKind::envelope && !offset &&
      !bounds)
    throw std::logic_error("the key index serves pages and bounds only");
  const bool keys_alone = shape.split == SplitStep::owner_keys;
  if (keys_alone && (offset || bounds || shape.table == SyncTable::tune ||
                     shape.access == RowsAccess::keys_by_time_merged))
    throw std::logic_error("the owner reads a note or reference page's keys by time or by genre");
  if (shape.table == SyncTable::tune) return tunes_by_genre(shape, schema);
  const std::string table = table_name(shape.table);
  const std::string keys = schema + "." + key_table_name(shape.table) + " k";
  const std::string own_rows = " AND (k.user_ref IS NULL OR k.user_ref OPERATOR(pg_catalog.=) " +
                               rows_param(param_user_id) + ")";
  const std::string page =
      " LIMIT " + rows_param(param_limit) + " OFFSET " + rows_param(param_offset);
  const std::string by_key = " ORDER BY k.last_modified_at, k.id";
  // Each key's row by primary key alone: with an equality on
  // last_modified_at the planner may look rows up through an index on that
  // column, reading a whole run of equal timestamps for every key (one bulk
  // update stamps thousands of rows alike). The timestamp is still compared
  // (a key the triggers missed must not put a row out of order), in a form
  // no index serves.
  auto join_rows = [&](const std::string &key_query) {
    if (keys_alone) return key_query;
    return "SELECT r.* FROM (" + key_query + ") s JOIN " + schema + "." + table +
           " r ON r.id OPERATOR(pg_catalog.=) s.id"
           " AND r.last_modified_at IS NOT DISTINCT FROM s.last_modified_at"
           " ORDER BY s.last_modified_at, s.id";
  };
  const std::string time_filter =
      " WHERE k.tune_live AND (k.genre OPERATOR(pg_catalog.=) ANY (" + rows_param(param_genre_ids) +
      ") OR k.private_for OPERATOR(pg_catalog.=) " + rows_param(param_user_id) + ")" + own_rows;
  if (bounds) {
    if (shape.access != RowsAccess::keys_by_time)
      throw std::logic_error("bounds read the keys by time");
    // The user's keys alone, or those of a Bernoulli sample of the key
    // table: no row of the table, no tune is read. The seed's form of the
    // filter (a public key's genre implies private_for IS NULL; said, it
    // lets a user of few genres read the genre and private indexes in a
    // BitmapOr instead of every key).
    const std::string sample =
        shape.kind == QueryKind::bounds_sampled
            ? " TABLESAMPLE BERNOULLI (" + rows_param(param_sample_percent) + ") REPEATABLE (0)"
            : "";
    return "SELECT k.last_modified_at, k.id FROM " + keys + sample + " WHERE k.tune_live AND " +
           genre_filter("k") + own_rows +
           bound(shape.after, "k", ">", param_after_ts, param_after_id) +
           bound(shape.until, "k", "<=", param_until_ts, param_until_id);
  }
  if (shape.access == RowsAccess::keys_by_time)
    return join_rows("SELECT k.last_modified_at, k.id FROM " + keys + time_filter +
                     key_bounds(shape, "k") + by_key +
                     (offset ? page : " LIMIT " + rows_param(param_limit)));
  if (shape.access == RowsAccess::keys_by_time_merged) {
    if (offset) throw std::logic_error("the drop-ins fetch their page's rows by id");
    // Both sides are read in key order from the cursor on, so the merge join
    // walks each once and stops at LIMIT (with the table's (last_modified_at,
    // id) index, see choose_rows_access). The rows come from a subquery
    // ordered by (last_modified_at, id): its ORDER BY keeps it from being
    // pulled up, so it is planned apart, and with sorts off only that index
    // delivers its order. Its only ordering is then the full key, so the
    // join merges on both columns. Joined to the table itself, the plan
    // could read it through an index on last_modified_at alone (the seed's
    // note index) and merge on that column only, rescanning for every key
    // the run of rows that share its timestamp.
    return "SELECT r.* FROM " + keys + " JOIN (SELECT r.* FROM " + schema + "." + table +
           " r WHERE true" + key_bounds(shape, "r") +
           " ORDER BY r.last_modified_at, r.id) r"
           " ON r.last_modified_at OPERATOR(pg_catalog.=) k.last_modified_at"
           " AND r.id OPERATOR(pg_catalog.=) k.id" +
           time_filter + key_bounds(shape, "k") + " ORDER BY r.last_modified_at, r.id";
  }
  // keys_by_genre. The drop-ins' streams hold the offset too.
  const std::string stream_order =
      by_key + " LIMIT " +
      (offset ? "(" + rows_param(param_limit) + "::pg_catalog.int8 OPERATOR(pg_catalog.+) " +
                    rows_param(param_offset) + ")"
              : rows_param(param_limit));
  const std::string streams =
      genre_streams(shape, "SELECT k.last_modified_at, k.id FROM " + keys, "k", "k.tune_live AND ",
                    own_rows + key_bounds(shape, "k") + stream_order);
  // The owner's keys are merged here, up to LIMIT; the rows' query below
  // merges the streams' rows itself.
  if (offset || keys_alone)
    return join_rows("SELECT m.last_modified_at, m.id FROM (" + streams +
                     ") m ORDER BY m.last_modified_at, m.id" +
                     (offset ? page : " LIMIT " + rows_param(param_limit)));
  return join_rows(streams);
}

// The rows of a shape, in key order, without LIMIT.
std::string filtered_rows(const RowsShape &shape, const std::string &schema) {
  if (shape.access != RowsAccess::app_tables) return keyed_rows(shape, schema);
  const std::string row = shape.table == SyncTable::tune ? "t" : "r";
  std::string sql = "SELECT " + row + ".* FROM ";
  if (shape.split == SplitStep::caller_rows) {
    // Each candidate's row by primary key, then everything below as for any
    // other caller: the rows are those of this very query over the whole
    // table that are among the candidates.
    if (shape.table == SyncTable::tune ||
        (shape.kind != QueryKind::keyset_rows && shape.kind != QueryKind::envelope))
      throw std::logic_error("the candidates' rows are those of a note or reference page");
    // LATERAL, with OFFSET 0 so that it is not pulled up: each
    // candidate's row is looked up from the candidate, never the other way
    // round. A kept plan expects a few candidates (the array is a
    // parameter), and as a plain join it may walk a small table in time
    // order and rescan every candidate for each row.
    sql += "pg_catalog.unnest(" + rows_param(param_candidate_ids) +
           ") c(id) CROSS JOIN LATERAL (SELECT " + row + ".* FROM " + schema + "." +
           table_name(shape.table) + " " + row + " WHERE " + row +
           ".id OPERATOR(pg_catalog.=) c.id OFFSET 0) " + row;
  } else {
    sql += schema + "." + table_name(shape.table) + " " + row;
  }
  if (shape.table != SyncTable::tune)
    sql += " JOIN " + schema + ".tune t ON t.id OPERATOR(pg_catalog.=) r.tune_ref";
  sql += " WHERE " + genre_filter("t");
  if (shape.table == SyncTable::tune) {
    // A first sync has no use for deleted tunes; an incremental one needs
    // them, since the flag is how the client learns of the deletion.
    // Checksums describe what a client keeps, so they never count them.
    if (shape.after == BoundKind::none || shape.first_sync || shape.kind == QueryKind::checksum)
      sql += " AND NOT t.deleted";
  } else {
    sql += " AND NOT t.deleted AND (r.user_ref IS NULL OR r.user_ref OPERATOR(pg_catalog.=) " +
           rows_param(param_user_id) + ")";
  }
  sql += bound(shape.after, row, ">", param_after_ts, param_after_id);
  sql += bound(shape.until, row, "<=", param_until_ts, param_until_id);
  if (shape.kind == QueryKind::keyset_rows || shape.kind == QueryKind::envelope)
    sql += " AND " + row + ".last_modified_at OPERATOR(pg_catalog.<) " + rows_param(param_horizon);
  sql += " ORDER BY " + row + ".last_modified_at, " + row + ".id";
  return sql;
}

// The rows a filter change may have moved in or out of the user's filter,
// in key order after the change's progress ($3, $4), up to LIMIT: those of
// public tunes of the genres that entered or left ($12), of tunes that moved
// ($13), and the notes or references that moved themselves ($15). Each comes
// as (in_filter, key, id, the row's columns): in_filter true while it is in
// the filter under the current genres ($2) and at or before the main
// stream's position ($5, $6) (what lies after it the main stream delivers),
// false when it is not in the filter (the worker removes it); rows in the
// filter after the position are skipped. A moved row is a candidate only if
// it is the user's to see now or was before ($14, $16), so no other user's
// ids are told. A moved row the caller can no longer read at all (row
// security) is still told to be removed: it comes first, keyed at -infinity.
std::string change_rows(const RowsShape &shape, const std::string &schema) {
  if (shape.until != BoundKind::timestamp_and_id || shape.bound_type != BoundType::timestamp)
    throw std::logic_error("a change runs up to the main stream's cursor");
  const bool tunes = shape.table == SyncTable::tune;
  const std::string table = schema + "." + table_name(shape.table);
  const std::string user = rows_param(param_user_id);
  const std::string eq = " OPERATOR(pg_catalog.=) ";
  const std::string change_genres = rows_param(param_change_genres);
  // A tune of the user's now, or of a genre that the filter has or lost.
  const std::string tune_concerns_user =
      "(c.private_for" + eq + user + " OR (c.private_for IS NULL AND (c.genre" + eq + "ANY (" +
      rows_param(param_genre_ids) + ") OR c.genre" + eq + "ANY (" + change_genres + "))))";
  const std::string own = "(x.user_ref IS NULL OR x.user_ref" + eq + user + ")";
  // Rows of deleted tunes are in no replica (a deletion is a move).
  const std::string by_genre =
      "c.genre" + eq + "ANY (" + change_genres + ") AND c.private_for IS NULL AND NOT c.deleted";
  std::string candidates;
  if (tunes) {
    candidates = "SELECT c.id FROM " + table + " c WHERE " + by_genre +
                 " UNION SELECT m.id FROM pg_catalog.unnest(" + rows_param(param_moved_tunes) +
                 ") m(id) WHERE m.id" + eq + "ANY (" + rows_param(param_seen_tunes) +
                 ") OR EXISTS (SELECT FROM " + table + " c WHERE c.id" + eq + "m.id AND " +
                 tune_concerns_user + ")";
  } else {
    candidates = "SELECT x.id FROM " + schema + ".tune c JOIN " + table + " x ON x.tune_ref" + eq +
                 "c.id WHERE " + by_genre + " AND " + own + " UNION SELECT x.id FROM " + table +
                 " x LEFT JOIN " + schema + ".tune c ON c.id" + eq + "x.tune_ref WHERE x.tune_ref" +
                 eq + "ANY (" + rows_param(param_moved_tunes) + ") AND (x.tune_ref" + eq + "ANY (" +
                 rows_param(param_seen_tunes) + ") OR " + tune_concerns_user + ") AND " + own +
                 " UNION SELECT m.id FROM pg_catalog.unnest(" + rows_param(param_moved_rows) +
                 ") m(id) WHERE m.id" + eq + "ANY (" + rows_param(param_seen_rows) +
                 ") OR EXISTS (SELECT FROM " + table + " x WHERE x.id" + eq + "m.id AND " + own +
                 ")";
  }
  const std::string tune_alias = tunes ? "r" : "t";
  std::string in_filter =
      "COALESCE(" + genre_filter(tune_alias) + " AND NOT " + tune_alias + ".deleted";
  if (!tunes) in_filter += " AND (r.user_ref IS NULL OR r.user_ref" + eq + user + ")";
  in_filter += ", false)";
  const std::string key = "COALESCE(r.last_modified_at, '-infinity'::pg_catalog.timestamp)";
  std::string sql = "SELECT q.in_filter, q.key, q.id, (q.r).* FROM (SELECT r, " + key +
                    " AS key, k.id, " + in_filter + " AS in_filter FROM (" + candidates +
                    ") k LEFT JOIN " + table + " r ON r.id" + eq + "k.id";
  if (!tunes) sql += " LEFT JOIN " + schema + ".tune t ON t.id" + eq + "r.tune_ref";
  sql += " WHERE true";
  if (shape.after == BoundKind::timestamp_and_id)
    sql += " AND (" + key + ", k.id) OPERATOR(pg_catalog.>) (" + rows_param(param_after_ts) + ", " +
           rows_param(param_after_id) + ")";
  sql += " AND (NOT " + in_filter + " OR (" + key + ", k.id) OPERATOR(pg_catalog.<=) (" +
         rows_param(param_until_ts) + ", " + rows_param(param_until_id) +
         "))"
         " ORDER BY " +
         key + ", k.id LIMIT " + rows_param(param_limit) + ") q";
  return sql;
}

// The cursor's number of a timestamp: -infinity has one (min_unix_micros in
// core/cursor.hpp), which epoch arithmetic cannot give.
std::string unix_micros(const std::string &ts) {
  return "CASE WHEN " + ts + " OPERATOR(pg_catalog.=) '-infinity'::pg_catalog.timestamp THEN " +
         std::to_string(min_unix_micros) + "::pg_catalog.int8 ELSE (pg_catalog.extract('epoch', " +
         ts + ") OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8 END";
}

}  // namespace

int query_slot(const RowsShape &shape) {
  int slot = static_cast<int>(shape.table);
  slot = slot * 7 + static_cast<int>(shape.kind);
  slot = slot * 3 + bound_index(shape.after);
  slot = slot * 3 + bound_index(shape.until);
  slot = slot * 2 + static_cast<int>(shape.bound_type);
  slot = slot * 2 + (shape.first_sync ? 1 : 0);
  slot = slot * rows_access_variants + access_index(shape);
  slot = slot * 3 + static_cast<int>(shape.split);
  return slot;
}

int query_slot(GenreSource source) {
  return source == GenreSource::effective ? effective_genres_slot : playlist_tune_genres_slot;
}

const char *table_name(SyncTable table) {
  switch (table) {
    case SyncTable::note: return "note";
    case SyncTable::reference: return "reference";
    case SyncTable::tune: return "tune";
  }
  throw std::logic_error("bad SyncTable");
}

const char *key_table_name(SyncTable table) {
  switch (table) {
    case SyncTable::note: return "sync_key_note";
    case SyncTable::reference: return "sync_key_reference";
    case SyncTable::tune: break;
  }
  throw std::logic_error("tunes have no key table");
}

std::string rows_param(RowsParam p) { return "$" + std::to_string(static_cast<int>(p)); }

SyncTable parse_table(std::string_view name, const char *arg) {
  for (SyncTable table : {SyncTable::note, SyncTable::reference, SyncTable::tune})
    if (name == table_name(table)) return table;
  std::string shown;
  for (char c : name.substr(0, 64)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
  throw Error(sqlstate::invalid_parameter_value,
              std::string(arg) + " must be one of note, reference, tune",
              std::string(arg) + " is \"" + shown + (name.size() > 64 ? "..." : "") + "\".");
}

std::string rows_query(const RowsShape &shape, const std::string &schema) {
  if (shape.kind == QueryKind::offset_rows &&
      (shape.after == BoundKind::timestamp_and_id || shape.until != BoundKind::none))
    throw std::logic_error("offset paging takes only an after timestamp");

  if (shape.kind == QueryKind::change) return change_rows(shape, schema);
  if (shape.split == SplitStep::owner_keys) {
    if (shape.access == RowsAccess::app_tables)
      throw std::logic_error("the owner reads keys, never rows");
    return keyed_rows(shape, schema);  // the keys, up to LIMIT already
  }
  const std::string rows = filtered_rows(shape, schema);
  switch (shape.kind) {
    case QueryKind::offset_rows:
      if (shape.access != RowsAccess::app_tables) return rows;  // the page already
      return rows + " LIMIT " + rows_param(param_limit) + " OFFSET " + rows_param(param_offset);
    case QueryKind::keyset_rows: return rows + " LIMIT " + rows_param(param_limit);
    case QueryKind::envelope:
      // Each row's columns after its key, in key order, one row past the
      // page (has_more without another round trip), in the change shape's
      // columns (every row in the filter). The caller writes the envelope's
      // JSON text from them (backend/envelope.hpp): to_jsonb per row and a
      // jsonb envelope cost several times the rows' query.
      return "SELECT true, p.last_modified_at, p.id, p.* FROM (" + rows + " LIMIT " +
             rows_param(param_limit) + ") p";
    case QueryKind::checksum: {
      // Per row: the first 64 bits of md5('<uuid>:<unix micros>'); summed
      // modulo 2^64, so the order of rows does not matter.
      const std::string row_hash =
          "('x' OPERATOR(pg_catalog.||) pg_catalog.substr(pg_catalog.md5(q.id::pg_catalog.text"
          " OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) " +
          unix_micros("q.last_modified_at") +
          "::pg_catalog.text), 1, 16))::pg_catalog.bit(64)::pg_catalog.int8::pg_catalog.numeric";
      const std::string two_to_64 = "18446744073709551616::pg_catalog.numeric";
      return "SELECT pg_catalog.count(*), ((COALESCE(pg_catalog.sum(" + row_hash +
             "), 0)"
             " OPERATOR(pg_catalog.%) " +
             two_to_64 + ") OPERATOR(pg_catalog.+) " + two_to_64 + ") OPERATOR(pg_catalog.%) " +
             two_to_64 + " FROM (" + rows + ") q";
    }
    case QueryKind::bounds:
    case QueryKind::bounds_sampled: return bounds_query(shape, rows, schema);
    case QueryKind::change: break;
  }
  throw std::logic_error("bad QueryKind");
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
              " UNION SELECT p.genre_default FROM " +
              schema +
              ".playlist p WHERE p.user_ref OPERATOR(pg_catalog.=) $1 AND NOT p.deleted"
              " AND p.genre_default IS NOT NULL"
              " UNION " +
              playlist_tunes;
  return "SELECT COALESCE(pg_catalog.array_agg(DISTINCT g.genre COLLATE \"C\""
         " ORDER BY g.genre COLLATE \"C\"), '{}'::pg_catalog.text[]) FROM (" +
         sources + ") g(genre)";
}

std::string moves_window_query(const std::string &schema) {
  return "SELECT m.table_name OPERATOR(pg_catalog.=) 'tune', m.id, CASE m.table_name WHEN 'tune' "
         "THEN"
         " m.prior_users OPERATOR(pg_catalog.&&) ARRAY[$3] OR (m.prior_users "
         "OPERATOR(pg_catalog.&&)"
         " ARRAY['00000000-0000-0000-0000-000000000000'::pg_catalog.uuid] AND m.prior_genres"
         " OPERATOR(pg_catalog.&&) $4) ELSE m.prior_users OPERATOR(pg_catalog.&&) ARRAY[$3,"
         " '00000000-0000-0000-0000-000000000000'::pg_catalog.uuid] END FROM " +
         schema +
         ".sync_move m WHERE m.table_name IN ('tune', $5) AND (m.moved_at OPERATOR(pg_catalog.>=) "
         "$1"
         " AND m.moved_at OPERATOR(pg_catalog.<) $2 OR m.table_name OPERATOR(pg_catalog.=) 'tune'"
         " AND m.prior_genres OPERATOR(pg_catalog.&&) $6)";
}

std::string moves_probe_query(const std::string &schema) {
  return "SELECT EXISTS (SELECT FROM " + schema +
         ".sync_move m WHERE m.moved_at OPERATOR(pg_catalog.>=) $1"
         " AND m.moved_at OPERATOR(pg_catalog.<) $2)";
}

std::string horizon_prepared_query() {
  return "SELECT EXISTS (SELECT FROM pg_catalog.pg_prepared_xacts"
         " WHERE database OPERATOR(pg_catalog.=) pg_catalog.current_database())";
}

std::string horizon_published_query(const std::string &schema) {
  return "SELECT horizon FROM " + schema + ".sync_horizon_publication";
}

std::string horizon_publish_query(const std::string &schema) {
  // Monotonic: a late caller with an older view never moves it back.
  return "INSERT INTO " + schema +
         ".sync_horizon_publication AS p (singleton, horizon, published_at)"
         " VALUES (true, $1, pg_catalog.now()) ON CONFLICT (singleton) DO UPDATE"
         " SET horizon = GREATEST(p.horizon, excluded.horizon),"
         " published_at = excluded.published_at";
}

}  // namespace gs
