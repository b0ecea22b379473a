#include <cstdio>

#include "bench_context.hpp"
#include "commands.hpp"
#include "comparison.hpp"
#include "result_keys.hpp"

namespace gs::bench {

int run_incremental(const Options &o) {
  auto conn = open_bench_connection(o);
  const BenchContext ctx = load_context(conn, o);
  print_context_header(o, ctx);
  std::printf("incremental pulls: empty (after the newest row) and a delta of about %d rows\n",
              o.delta);
  std::fflush(stdout);

  std::vector<Comparison> comparisons;
  for (const auto &user : ctx.users)
    for (Table t : tables_for(o)) {
      const auto keys = result_keys(conn, t, user, true);
      if (keys.empty()) continue;
      const std::string base = std::string(user_kind_name(user.kind)) + " " + table_name(t);
      // Rows strictly after the horizon: ties with the horizon row are
      // left out, so a delta can come out a little smaller than asked.
      const std::size_t n = keys.size(), d = static_cast<std::size_t>(o.delta);
      const std::string delta_after = n > d ? keys[n - d - 1].timestamp : "-infinity";
      for (const auto &[label, after] : {std::pair{base + ", empty", keys.back().timestamp},
                                         std::pair{base + ", delta", delta_after}})
        comparisons.push_back(make_comparison(label, user, t, after, o.methods));
    }

  run_and_report(conn, o, ctx, comparisons, "incremental pull, median ms (speedup = seed / ours)",
                 [&](JsonWriter &json) { json.key("delta").integer(o.delta); });
  return 0;
}

}  // namespace gs::bench
