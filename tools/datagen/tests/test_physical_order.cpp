#include "datagen/physical_order.hpp"

#include <catch2/catch.hpp>

using namespace gs::datagen;

TEST_CASE("physical order names round-trip") {
  for (const PhysicalOrder order : {PhysicalOrder::shuffled, PhysicalOrder::time}) {
    CHECK(parse_physical_order(physical_order_name(order)) == order);
  }
  CHECK_FALSE(parse_physical_order("random"));
  CHECK_FALSE(parse_physical_order(""));
}

TEST_CASE("time order sorts every table with a last_modified_at, by it and the key") {
  CHECK(time_order_key(Table::note) == "last_modified_at, id");
  CHECK(time_order_key(Table::reference) == "last_modified_at, id");
  CHECK(time_order_key(Table::tune) == "last_modified_at, id");
  CHECK(time_order_key(Table::user_profile) == "last_modified_at, id");
  CHECK(time_order_key(Table::playlist) == "last_modified_at, playlist_id");
  CHECK(time_order_key(Table::playlist_tune) == "last_modified_at, playlist_ref, tune_ref");
  CHECK_FALSE(time_order_key(Table::genre));
  CHECK_FALSE(time_order_key(Table::user_genre_selection));
}
