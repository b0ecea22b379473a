#include <cstdio>

#include "bench_context.hpp"
#include "commands.hpp"
#include "comparison.hpp"

namespace gs::bench {

int run_pull(const Options &o) {
  auto conn = open_bench_connection(o);
  const BenchContext ctx = load_context(conn, o);
  print_context_header(o, ctx);
  std::fflush(stdout);

  std::vector<Comparison> comparisons;
  for (const auto &user : ctx.users)
    for (Table t : tables_for(o))
      comparisons.push_back(
          make_comparison(std::string(user_kind_name(user.kind)) + " " + table_name(t), user, t,
                          std::nullopt, o.methods));

  run_and_report(conn, o, ctx, comparisons, "full pull, median ms (speedup = seed / ours)");
  return 0;
}

}  // namespace gs::bench
