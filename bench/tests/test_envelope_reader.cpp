#include <catch2/catch.hpp>

#include "envelope_reader.hpp"

using namespace gs::bench;

// Shaped as sync_pull's jsonb prints: keys sorted by length, rows with
// nested values and strings that contain JSON syntax.
static const char *kTwoRows =
    R"({"rows": [{"id": "f91e9b0f-eec7-49ce-9c03-8780532813a2", "public": false, "favorite": null, )"
    R"("note_text": "Key \"change\" {works}, [well]\\", "sync_version": 3, "score": -1.5e3, )"
    R"("last_modified_at": "2024-01-01T07:50:09.453503"}, )"
    R"({"id": "9fb0241c-e2e8-4a6b-a7f5-2896ac9edd73", "tags": [{"a": [1, 2]}, "x"], )"
    R"("last_modified_at": "2024-01-01T11:07:15.1268"}], "table": "note", "until": null, "cursor": null, )"
    R"("genres": ["balfolk", "bal\u00e9"], "has_more": true, "row_count": 2, )"
    R"("next_cursor": "v1:1704107235126800:9fb0241c-e2e8-4a6b-a7f5-2896ac9edd73"})";

TEST_CASE("envelope: has_more, next_cursor and each row's key, other values skipped") {
  const Envelope e = read_envelope(kTwoRows);
  CHECK(e.has_more);
  CHECK(e.next_cursor == "v1:1704107235126800:9fb0241c-e2e8-4a6b-a7f5-2896ac9edd73");
  REQUIRE(e.rows.size() == 2);
  CHECK(e.rows[0] == RowKey{"f91e9b0f-eec7-49ce-9c03-8780532813a2", "2024-01-01T07:50:09.453503"});
  CHECK(e.rows[1] == RowKey{"9fb0241c-e2e8-4a6b-a7f5-2896ac9edd73", "2024-01-01T11:07:15.1268"});
}

TEST_CASE("envelope: an empty last page with a null cursor") {
  const Envelope e = read_envelope(R"({"rows": [], "has_more": false, "next_cursor": null})");
  CHECK_FALSE(e.has_more);
  CHECK(e.next_cursor.empty());
  CHECK(e.rows.empty());
}

TEST_CASE("envelope: escapes in the kept strings are decoded") {
  const Envelope e = read_envelope(
      R"({"has_more": false, "rows": [{"id": "a\"b\\c\/d", "last_modified_at": "t\n"}]})");
  REQUIRE(e.rows.size() == 1);
  CHECK(e.rows[0].id == "a\"b\\c/d");
  CHECK(e.rows[0].last_modified_at == "t\n");
}

TEST_CASE("envelope: malformed or incomplete text is an error, not a short page") {
  CHECK_THROWS_AS(read_envelope(""), EnvelopeError);
  CHECK_THROWS_AS(read_envelope(R"({"rows": [], "has_more": false)"), EnvelopeError);
  CHECK_THROWS_AS(read_envelope(R"({"rows": [], "has_more": false} x)"), EnvelopeError);
  CHECK_THROWS_AS(read_envelope(R"({"rows": []})"), EnvelopeError);
  CHECK_THROWS_AS(read_envelope(R"({"has_more": true})"), EnvelopeError);
  CHECK_THROWS_AS(read_envelope(R"({"has_more": 1, "rows": []})"), EnvelopeError);
  CHECK_THROWS_AS(read_envelope(R"({"has_more": false, "rows": [{"id": "a"}]})"), EnvelopeError);
  CHECK_THROWS_AS(
      read_envelope(R"({"has_more": false, "rows": [{"id": "a", "last_modified_at": "t}]})"),
      EnvelopeError);
  CHECK_THROWS_WITH(
      read_envelope(R"({"has_more": false, "rows": [{"id": "a\q", "last_modified_at": "t"}]})"),
      Catch::Contains("bad escape"));
  // Skipped strings are checked too.
  CHECK_THROWS_WITH(read_envelope(R"({"has_more": false, "rows": [], "note": "a\q"})"),
                    Catch::Contains("bad escape"));
  CHECK_THROWS_WITH(read_envelope(R"({"has_more": false, "rows": [], "note": "\u00"})"),
                    Catch::Contains("bad \\u escape"));
}

TEST_CASE("envelope: a filter change's removed ids, catch_up, horizon_cursor and tombstones") {
  const Envelope e = read_envelope(
      R"({"rows": [{"id": "t1", "deleted": true, "last_modified_at": "2024-01-01T00:00:00"}, )"
      R"({"id": "t2", "deleted": false, "last_modified_at": "2024-01-02T00:00:00"}], "has_more": false, )"
      R"("removed": ["r1", "r2"], "catch_up": true, "next_cursor": "v2/x", "horizon_cursor": "v2/h"})");
  CHECK(e.removed == std::vector<std::string>{"r1", "r2"});
  CHECK(e.catch_up);
  CHECK(e.horizon_cursor == "v2/h");
  CHECK(e.deleted_ids == std::vector<std::string>{"t1"});
  REQUIRE(e.rows.size() == 2);
  CHECK(e.rows[1] == RowKey{"t2", "2024-01-02T00:00:00"});
}

TEST_CASE("envelope: without the 1.3 fields nothing is removed and no page catches up") {
  const Envelope e = read_envelope(kTwoRows);
  CHECK(e.removed.empty());
  CHECK_FALSE(e.catch_up);
  CHECK(e.horizon_cursor.empty());
  CHECK(e.deleted_ids.empty());
  CHECK(read_envelope(R"({"rows": [], "has_more": false, "horizon_cursor": null})")
            .horizon_cursor.empty());
  CHECK_THROWS_AS(read_envelope(R"({"rows": [], "has_more": false, "removed": [null]})"),
                  EnvelopeError);
  CHECK_THROWS_AS(read_envelope(R"({"rows": [], "has_more": false, "removed": [1]})"),
                  EnvelopeError);
  CHECK_THROWS_AS(read_envelope(R"({"rows": [], "has_more": false, "catch_up": "yes"})"),
                  EnvelopeError);
}
