#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "core/sync_query.hpp"

using gs::BoundKind;
using gs::Paging;
using gs::RowsShape;
using gs::SyncTable;

namespace {

const BoundKind all_bounds[] = {BoundKind::none, BoundKind::timestamp,
                                BoundKind::timestamp_and_id};
const SyncTable all_tables[] = {SyncTable::note, SyncTable::reference, SyncTable::tune};

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("every query shape has its own plan slot") {
  std::set<int> slots;
  for (auto table : all_tables)
    for (auto paging : {Paging::keyset, Paging::offset})
      for (auto after : all_bounds)
        for (auto until : all_bounds) slots.insert(gs::query_slot(RowsShape{table, paging, after, until}));
  slots.insert(gs::query_slot(gs::GenreSource::effective));
  slots.insert(gs::query_slot(gs::GenreSource::playlist_tunes));
  CHECK(slots.size() == static_cast<std::size_t>(gs::query_slot_count));
  CHECK(*slots.begin() == 0);
  CHECK(*slots.rbegin() == gs::query_slot_count - 1);
}

TEST_CASE("the seed's drop-in query: join, filter, order, LIMIT/OFFSET") {
  auto sql = gs::rows_query({SyncTable::note, Paging::offset, BoundKind::timestamp, BoundKind::none},
                            "\"app\"");
  CHECK(sql ==
        "SELECT r.* FROM \"app\".note r"
        " JOIN \"app\".tune t ON t.id OPERATOR(pg_catalog.=) r.tune_ref"
        " WHERE ((t.genre OPERATOR(pg_catalog.=) ANY ($2) AND t.private_for IS NULL)"
        " OR t.private_for OPERATOR(pg_catalog.=) $1)"
        " AND NOT t.deleted AND (r.user_ref IS NULL OR r.user_ref OPERATOR(pg_catalog.=) $1)"
        " AND r.last_modified_at OPERATOR(pg_catalog.>) $3"
        " ORDER BY r.last_modified_at, r.id LIMIT $7 OFFSET $8");
}

TEST_CASE("keyset bounds are row comparisons the (last_modified_at, id) index can use") {
  auto sql = gs::rows_query({SyncTable::reference, Paging::keyset, BoundKind::timestamp_and_id,
                             BoundKind::timestamp_and_id},
                            "public");
  CHECK(contains(sql, "FROM public.reference r"));
  CHECK(contains(sql, " AND (r.last_modified_at, r.id) OPERATOR(pg_catalog.>) ($3, $4)"));
  CHECK(contains(sql, " AND (r.last_modified_at, r.id) OPERATOR(pg_catalog.<=) ($5, $6)"));
  CHECK_FALSE(contains(sql, "OFFSET"));
  auto until_ts = gs::rows_query(
      {SyncTable::note, Paging::keyset, BoundKind::none, BoundKind::timestamp}, "public");
  CHECK(contains(until_ts, " AND r.last_modified_at OPERATOR(pg_catalog.<=) $5 ORDER BY"));
}

TEST_CASE("tunes filter themselves and keep deleted ones only on incremental pages") {
  auto first = gs::rows_query({SyncTable::tune, Paging::keyset, BoundKind::none, BoundKind::none},
                              "public");
  CHECK(first ==
        "SELECT t.* FROM public.tune t"
        " WHERE ((t.genre OPERATOR(pg_catalog.=) ANY ($2) AND t.private_for IS NULL)"
        " OR t.private_for OPERATOR(pg_catalog.=) $1) AND NOT t.deleted"
        " ORDER BY t.last_modified_at, t.id LIMIT $7");
  auto incremental = gs::rows_query(
      {SyncTable::tune, Paging::keyset, BoundKind::timestamp_and_id, BoundKind::none}, "public");
  CHECK_FALSE(contains(incremental, "deleted"));
  CHECK(contains(incremental, "(t.last_modified_at, t.id) OPERATOR(pg_catalog.>) ($3, $4)"));
}

TEST_CASE("offset paging takes no id or until bound") {
  CHECK_THROWS_AS(gs::rows_query({SyncTable::note, Paging::offset, BoundKind::timestamp_and_id,
                                  BoundKind::none},
                                 "public"),
                  std::logic_error);
  CHECK_THROWS_AS(gs::rows_query({SyncTable::note, Paging::offset, BoundKind::none,
                                  BoundKind::timestamp},
                                 "public"),
                  std::logic_error);
}

TEST_CASE("genre queries return one sorted distinct array, never NULL") {
  auto effective = gs::genres_query(gs::GenreSource::effective, "public");
  CHECK(contains(effective, "COALESCE(pg_catalog.array_agg(DISTINCT g.genre COLLATE \"C\""
                            " ORDER BY g.genre COLLATE \"C\"), '{}'::pg_catalog.text[])"));
  CHECK(contains(effective, "FROM public.user_genre_selection s"));
  CHECK(contains(effective, "p.genre_default IS NOT NULL"));
  auto playlist = gs::genres_query(gs::GenreSource::playlist_tunes, "public");
  CHECK_FALSE(contains(playlist, "user_genre_selection"));
  CHECK_FALSE(contains(playlist, "genre_default"));
  CHECK(contains(playlist, "NOT p.deleted AND NOT pt.deleted AND NOT t.deleted"));
}
