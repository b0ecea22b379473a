#include <catch2/catch.hpp>

#include <string>

#include "core/bounds_query.hpp"
#include "core/sync_query.hpp"

using gs::BoundKind;
using gs::QueryKind;
using gs::SyncTable;

namespace {

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("exact bounds cut every filtered key with ntile") {
  const std::string sql = gs::rows_query(
      {SyncTable::note, QueryKind::bounds, BoundKind::timestamp, BoundKind::none}, "public");
  CHECK(contains(sql, "pg_catalog.ntile($10) OVER (ORDER BY k.last_modified_at, k.id)"));
  CHECK(contains(sql, " FROM (SELECT r.* FROM public.note r JOIN public.tune t"));
  CHECK(contains(sql, "r.last_modified_at OPERATOR(pg_catalog.>) $3"));
  CHECK(contains(sql, "GROUP BY q.part ORDER BY q.part"));
  CHECK_FALSE(contains(sql, "TABLESAMPLE"));
  // Cut below the horizon only: a part that ended before rows a running
  // transaction may still commit could not be fetched whole (the rows at or
  // past the horizon all belong to the last, open-ended part).
  CHECK(contains(sql, " WHERE k.last_modified_at OPERATOR(pg_catalog.<) $9) q GROUP BY q.part"));
}

TEST_CASE("sampled bounds look each sampled row up in the filtered rows by id") {
  for (SyncTable table : {SyncTable::note, SyncTable::reference, SyncTable::tune}) {
    const std::string name = gs::table_name(table);
    const std::string sql =
        gs::rows_query({table, QueryKind::bounds_sampled, BoundKind::none, BoundKind::none}, "app");
    CAPTURE(sql);
    CHECK(contains(sql, " FROM app." + name +
                            " s TABLESAMPLE BERNOULLI ($11) REPEATABLE (0) CROSS JOIN LATERAL"
                            " (SELECT f.last_modified_at, f.id FROM (SELECT "));
    CHECK(contains(sql,
                   ") f WHERE f.id OPERATOR(pg_catalog.=) s.id OFFSET 0) k"
                   " WHERE k.last_modified_at OPERATOR(pg_catalog.<) $9) q"));
    // The filtered rows themselves are never sampled: the lookup must see
    // every row the pages see.
    CHECK(sql.find("TABLESAMPLE") == sql.rfind("TABLESAMPLE"));
    CHECK(contains(sql, "pg_catalog.ntile($10)"));
  }
}

TEST_CASE("only bounds shapes have a bounds query") {
  CHECK_THROWS_AS(
      gs::bounds_query({SyncTable::note, QueryKind::keyset_rows, BoundKind::none, BoundKind::none},
                       "SELECT 1", "public"),
      std::logic_error);
}
