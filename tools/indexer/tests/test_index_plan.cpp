#include "indexer/index_plan.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using gs::indexer::Action;
using gs::indexer::action_for;
using gs::indexer::concurrent_definition;
using gs::indexer::IndexPlan;
using gs::indexer::RequiredIndex;

TEST_CASE("the live form of a definition adds CONCURRENTLY") {
  CHECK(concurrent_definition(
            "CREATE INDEX genre_sync_note_tune_ref_idx ON public.note USING btree (tune_ref)") ==
        "CREATE INDEX CONCURRENTLY genre_sync_note_tune_ref_idx ON public.note USING btree "
        "(tune_ref)");
  CHECK_THROWS_AS(concurrent_definition("CREATE UNIQUE INDEX i ON t (c)"), std::invalid_argument);
  CHECK_THROWS_AS(concurrent_definition("CREATE INDEX CONCURRENTLY i ON t (c)"),
                  std::invalid_argument);
  CHECK_THROWS_AS(concurrent_definition("DROP TABLE note"), std::invalid_argument);
}

TEST_CASE("action per index: keep valid, build missing, rebuild invalid") {
  RequiredIndex index;
  CHECK(action_for(index) == Action::build);
  index.present = true;
  CHECK(action_for(index) == Action::rebuild);
  index.valid = true;
  CHECK(action_for(index) == Action::keep);
}

TEST_CASE("the printed plan names what happens to each index") {
  IndexPlan plan;
  plan.schema = "public";
  plan.indexes.push_back(
      {"note", "a_idx", "CREATE INDEX a_idx ON public.note USING btree (x)", true, true, "app_x"});
  plan.indexes.push_back(
      {"note", "b_idx", "CREATE INDEX b_idx ON public.note USING btree (y)", false, false, ""});
  plan.indexes.push_back(
      {"tune", "c_idx", "CREATE INDEX c_idx ON public.tune USING btree (z)", true, false, "c_idx"});
  std::ostringstream out;
  print_plan(out, plan);
  CHECK(out.str() ==
        "present\ta_idx (as app_x)\n\tCREATE INDEX a_idx ON public.note USING btree (x)\n"
        "build\tb_idx\n\tCREATE INDEX CONCURRENTLY b_idx ON public.note USING btree (y)\n"
        "rebuild\tc_idx (invalid: c_idx)\n\tCREATE INDEX CONCURRENTLY c_idx ON public.tune USING "
        "btree (z)\n");
}
