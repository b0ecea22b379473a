#pragma once
// One request as a sync worker makes it: send, receive every row (text
// protocol), stop the clock. Row ids go into the caller's digest after the
// clock has stopped; COPY has no result set to keep, so its ids are hashed
// as the rows stream in (a few ns a row).
#include <optional>
#include <string>

#include "common/pg_connection.hpp"
#include "id_digest.hpp"
#include "methods.hpp"

namespace gs::bench {

struct BenchUser {
  UserKind kind;
  std::string id;
  std::string genres;  // text[] literal, e.g. {celtic,jazz}
  int genre_count = 0;
};

struct Cursor {
  std::string timestamp, id;
};

struct PageFetch {
  long long rows = 0;
  double ms = 0;
  std::optional<Cursor> last;  // the last row's key, for the next keyset page
};

// Only one of offset (offset paging) or after_id (keyset paging) is used;
// after_timestamp without after_id is the seed's incremental meaning.
PageFetch fetch_page(tools::PgConnection &conn, Method m, Table t, const BenchUser &user,
                     int page_size, const std::optional<std::string> &after_timestamp,
                     const std::optional<std::string> &after_id, long long offset,
                     IdDigest &digest);

// One sync_pull page: the page as above (rows, time), and where the pull
// goes on. until: the first page's horizon_cursor, as a worker bounds its
// pull.
struct EnvelopeFetch {
  PageFetch page;
  bool has_more = false;
  std::string next_cursor, horizon_cursor;
};
EnvelopeFetch fetch_envelope(tools::PgConnection &conn, Table t, const BenchUser &user,
                             int page_size, const std::optional<std::string> &cursor,
                             const std::optional<std::string> &until, IdDigest &digest);

// The whole result in one COPY ... TO STDOUT: the floor any pager pays.
PageFetch fetch_copy(tools::PgConnection &conn, Table t, const BenchUser &user,
                     const std::optional<std::string> &after_timestamp, IdDigest &digest);

}  // namespace gs::bench
