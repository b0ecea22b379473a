#include "datagen/timestamp.hpp"
#include "datagen/uuid.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace gs::datagen;

TEST_CASE("timestamps format as PostgreSQL timestamp text with microseconds") {
  CHECK(format_timestamp(0) == "1970-01-01 00:00:00.000000");
  CHECK(format_timestamp(-1) == "1969-12-31 23:59:59.999999");
  CHECK(format_timestamp(history_start) == "2024-01-01 00:00:00.000000");
  CHECK(format_timestamp(history_end) == "2026-01-01 00:00:00.000000");
  // 2024-02-29 12:34:56.789012 (leap day) = 19782 days after the epoch
  const Micros leap =
      19'782 * micros_per_day + ((12 * 60 + 34) * 60 + 56) * micros_per_second + 789'012;
  CHECK(format_timestamp(leap) == "2024-02-29 12:34:56.789012");
  CHECK(format_timestamp(leap + micros_per_day) == "2024-03-01 12:34:56.789012");
  CHECK(format_timestamp(20'453 * micros_per_day + micros_per_day - 1) ==
        "2025-12-31 23:59:59.999999");
}

TEST_CASE("uuid text form is 8-4-4-4-12 lowercase hex") {
  CHECK(to_string(Uuid{0x0123456789abcdefULL, 0xfedcba9876543210ULL}) ==
        "01234567-89ab-cdef-fedc-ba9876543210");
}

TEST_CASE("derived uuids are pinned, version 4, and distinct") {
  CHECK(to_string(derived_uuid(42, Stream::tunes, 7)) == "3458fc3d-51b4-414a-abe9-ee3679e525c4");
  std::set<std::string> seen;
  for (std::uint64_t i = 0; i < 20'000; ++i) {
    for (Stream kind : {Stream::users, Stream::tunes, Stream::notes}) {
      const std::string text = to_string(derived_uuid(42, kind, i));
      REQUIRE(text[14] == '4');
      REQUIRE(std::string("89ab").find(text[19]) != std::string::npos);
      seen.insert(text);
    }
  }
  CHECK(seen.size() == 60'000);
  CHECK(derived_uuid(42, Stream::tunes, 7) == derived_uuid(42, Stream::tunes, 7));
  CHECK_FALSE(derived_uuid(42, Stream::tunes, 7) == derived_uuid(43, Stream::tunes, 7));
}
