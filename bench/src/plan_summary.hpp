#pragma once
// Reads EXPLAIN ANALYZE text plans (from EXPLAIN or auto_explain) down to
// what the `explain` command reports: node types, rows, buffers, and the
// two things worth a flag, Seq Scans on large tables and Sorts that spill.
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gs::bench {

struct PlanNode {
  std::string type;      // "Index Scan", "Seq Scan", "Sort", ...
  std::string relation;  // the table after " on ", if any
  long long rows = 0;    // actual rows times loops; 0 if never executed
};

struct PlanSummary {
  std::vector<PlanNode> nodes;                // in plan order
  long long shared_hit = 0, shared_read = 0;  // the top node's Buffers line
  bool sort_spilled = false;
};

PlanSummary summarize_plan(std::string_view plan_text);

// Distinct node types in order of first appearance, comma-separated.
std::string node_types(const std::vector<PlanNode> &nodes);

// "Seq Scan on note (12000 rows)" for each large table scanned sequentially,
// "Sort spilled to disk" if one did.
std::vector<std::string> plan_flags(const PlanSummary &plan,
                                    const std::set<std::string> &large_tables);

}  // namespace gs::bench
