#include "plan_summary.hpp"

#include <cstdlib>

namespace gs::bench {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

long long number_after(std::string_view line, std::string_view key) {
  const auto pos = line.find(key);
  if (pos == std::string_view::npos) return 0;
  return std::strtoll(std::string(line.substr(pos + key.size(), 20)).c_str(), nullptr, 10);
}

// A node line reads "[->  ]Type [using idx] [on table alias]  (cost=...) (actual ...)".
bool parse_node(std::string_view line, PlanNode &node) {
  line = trim(line);
  if (line.rfind("->", 0) == 0) line = trim(line.substr(2));
  auto paren = line.find("  (");
  if (paren == std::string_view::npos) return false;
  const std::string_view rest = line.substr(paren);
  if (rest.find("(cost=") == std::string_view::npos &&
      rest.find("(actual") == std::string_view::npos)
    return false;
  std::string_view head = line.substr(0, paren);
  const auto on = head.find(" on ");
  if (on != std::string_view::npos) {
    std::string_view rel = head.substr(on + 4);
    node.relation = std::string(rel.substr(0, rel.find(' ')));
    head = head.substr(0, on);
  }
  node.type = std::string(head.substr(0, head.find(" using ")));
  const auto actual = rest.find("(actual");
  if (actual != std::string_view::npos) {
    const std::string_view a = rest.substr(actual);
    node.rows = number_after(a, "rows=") * number_after(a, "loops=");
  }
  return true;
}
}  // namespace

PlanSummary summarize_plan(std::string_view text) {
  PlanSummary plan;
  bool have_buffers = false;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    PlanNode node;
    if (parse_node(line, node)) {
      plan.nodes.push_back(std::move(node));
      continue;
    }
    const std::string_view t = trim(line);
    if (!have_buffers && !plan.nodes.empty() && t.rfind("Buffers:", 0) == 0) {
      // "Buffers: shared hit=N read=M dirtied=..., temp read=..."
      const auto shared = t.find("shared ");
      const std::string_view s = shared == std::string_view::npos
                                     ? std::string_view()
                                     : t.substr(shared, t.find(',', shared) - shared);
      plan.shared_hit = number_after(s, "hit=");
      plan.shared_read = number_after(s, "read=");
      have_buffers = true;
    }
    if (t.rfind("Sort Method: external", 0) == 0) plan.sort_spilled = true;
  }
  return plan;
}

std::string node_types(const std::vector<PlanNode> &nodes) {
  std::vector<std::string> seen;
  std::string out;
  for (const auto &n : nodes) {
    bool dup = false;
    for (const auto &s : seen) dup = dup || s == n.type;
    if (dup) continue;
    seen.push_back(n.type);
    if (!out.empty()) out += ", ";
    out += n.type;
  }
  return out;
}

std::vector<std::string> plan_flags(const PlanSummary &plan,
                                    const std::set<std::string> &large_tables) {
  std::vector<std::string> flags;
  for (const auto &n : plan.nodes)
    if ((n.type == "Seq Scan" || n.type == "Parallel Seq Scan") && large_tables.count(n.relation))
      flags.push_back("Seq Scan on " + n.relation + " (" + std::to_string(n.rows) + " rows)");
  if (plan.sort_spilled) flags.push_back("Sort spilled to disk");
  return flags;
}

}  // namespace gs::bench
