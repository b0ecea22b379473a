#include <catch2/catch.hpp>

#include "plan_summary.hpp"

using namespace gs::bench;

namespace {
// An auto_explain text plan as PostgreSQL 15 logs it.
const char *kPlan = R"(Query Text: SELECT n.* FROM note n JOIN tune t ON ...
Limit  (cost=1.00..2.00 rows=10 width=8) (actual time=0.1..5.2 rows=1000 loops=1)
  Buffers: shared hit=120 read=7, temp read=50 written=50
  ->  Sort  (cost=1.00..2.00 rows=10 width=8) (actual time=0.1..5.0 rows=1000 loops=1)
        Sort Key: n.last_modified_at, n.id
        Sort Method: external merge  Disk: 4096kB
        ->  Hash Join  (cost=1.00..2.00 rows=10 width=8) (actual time=0.1..4.0 rows=5000 loops=1)
              ->  Seq Scan on note n  (cost=0.00..1.00 rows=10 width=8) (actual time=0.01..1.0 rows=39000 loops=1)
              ->  Hash  (cost=1.00..1.00 rows=1 width=8) (actual time=0.1..0.1 rows=300 loops=1)
                    ->  Index Scan using tune_pkey on tune t  (cost=0.29..8.30 rows=1 width=8) (actual time=0.002..0.002 rows=1 loops=300)
                    ->  Seq Scan on genre g  (cost=0.00..1.00 rows=1 width=8) (never executed)
)";
}  // namespace

TEST_CASE("a text plan is read into nodes, buffers and spill") {
  const PlanSummary p = summarize_plan(kPlan);
  REQUIRE(p.nodes.size() == 7);
  CHECK(p.nodes[0].type == "Limit");
  CHECK(p.nodes[0].rows == 1000);
  CHECK(p.nodes[1].type == "Sort");
  CHECK(p.nodes[3].type == "Seq Scan");
  CHECK(p.nodes[3].relation == "note");
  CHECK(p.nodes[3].rows == 39000);
  CHECK(p.nodes[5].type == "Index Scan");
  CHECK(p.nodes[5].relation == "tune");
  CHECK(p.nodes[5].rows == 300);
  CHECK(p.nodes[6].rows == 0);
  CHECK(p.shared_hit == 120);
  CHECK(p.shared_read == 7);
  CHECK(p.sort_spilled);
  CHECK(node_types(p.nodes) == "Limit, Sort, Hash Join, Seq Scan, Hash, Index Scan");
}

TEST_CASE("flags name Seq Scans on large tables only, and spilled sorts") {
  const PlanSummary p = summarize_plan(kPlan);
  CHECK(plan_flags(p, {"note", "tune"}) ==
        std::vector<std::string>{"Seq Scan on note (39000 rows)", "Sort spilled to disk"});
  CHECK(plan_flags(p, {}) == std::vector<std::string>{"Sort spilled to disk"});
}

TEST_CASE("an in-memory plan has no flags") {
  const PlanSummary p = summarize_plan(
      "Function Scan on sync_notes_page  (cost=0.25..10.25 rows=1000 width=8) (actual "
      "time=1.0..1.2 rows=77 loops=1)\n"
      "  Buffers: shared hit=42\n"
      "Planning Time: 0.1 ms\n");
  REQUIRE(p.nodes.size() == 1);
  CHECK(p.nodes[0].type == "Function Scan");
  CHECK(p.nodes[0].relation == "sync_notes_page");
  CHECK(p.shared_hit == 42);
  CHECK(p.shared_read == 0);
  CHECK_FALSE(p.sort_spilled);
  CHECK(plan_flags(p, {"note"}).empty());
  CHECK(summarize_plan("").nodes.empty());
}
