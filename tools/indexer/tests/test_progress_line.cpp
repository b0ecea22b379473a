#include "indexer/progress_line.hpp"

#include <catch2/catch.hpp>

using gs::indexer::format_progress;
using gs::indexer::phase_percent;
using gs::indexer::ProgressSample;

TEST_CASE("percent follows blocks while the phase counts blocks") {
  const ProgressSample scanning{"building index: scanning table", 120, 480, 0, 0};
  CHECK(phase_percent(scanning) == 25);
  CHECK(format_progress("genre_sync_note_tune_ref_idx", scanning, 1.44) ==
        "genre_sync_note_tune_ref_idx | building index: scanning table | blocks 120/480 | tuples "
        "0/0 |  25% | 1.4 s");
}

TEST_CASE("percent follows tuples when the phase counts only tuples") {
  const ProgressSample loading{"building index: loading tuples in tree", 0, 0, 9000, 12000};
  CHECK(phase_percent(loading) == 75);
  CHECK(format_progress("i", loading, 12.0) ==
        "i | building index: loading tuples in tree | blocks 0/0 | tuples 9000/12000 |  75% | 12.0 "
        "s");
}

TEST_CASE("phases without counters show no percent") {
  const ProgressSample waiting{"waiting for old snapshots", 0, 0, 0, 0};
  CHECK(phase_percent(waiting) == -1);
  CHECK(format_progress("i", waiting, 0.2) ==
        "i | waiting for old snapshots | blocks 0/0 | tuples 0/0 |    - | 0.2 s");
}

TEST_CASE("before the first sample the phase reads starting") {
  CHECK(format_progress("i", ProgressSample{}, 0.0) ==
        "i | starting | blocks 0/0 | tuples 0/0 |    - | 0.0 s");
}

TEST_CASE("counters past their total cap at 100 percent") {
  CHECK(phase_percent({"validating index: scanning table", 510, 500, 0, 0}) == 100);
  CHECK(phase_percent({"x", 500, 500, 0, 0}) == 100);
  CHECK(phase_percent({"x", 499, 500, 0, 0}) == 99);
}
