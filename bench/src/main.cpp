// genre-sync-bench: see usage_text() in options.cpp, and bench/README.md.
#include <cstdio>
#include <exception>

#include "commands.hpp"
#include "common/pg_error.hpp"
#include "comparison.hpp"

namespace {
// Exit codes as pgbench: 1 for a bad command line or connection, 2 for an
// error while running; 3 when methods disagree on the rows (a correctness bug).
int run(const gs::bench::Options &o) {
  using gs::bench::Command;
  switch (o.command) {
    case Command::pull: return gs::bench::run_pull(o);
    case Command::incremental: return gs::bench::run_incremental(o);
    case Command::depth: return gs::bench::run_depth(o);
    case Command::explain: return gs::bench::run_explain(o);
    case Command::parallel: return gs::bench::run_parallel(o);
    case Command::filter_change: return gs::bench::run_filter_change(o);
    case Command::paths: return gs::bench::run_paths(o);
  }
  return 1;
}
}  // namespace

int main(int argc, char **argv) {
  gs::bench::Options options;
  try {
    options = gs::bench::parse_options(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const gs::bench::UsageError &e) {
    std::fprintf(stderr,
                 "genre-sync-bench: %s\nTry \"genre-sync-bench --help\" for more information.\n",
                 e.what());
    return 1;
  }
  if (options.help) {
    std::fputs(gs::bench::usage_text().c_str(), stdout);
    return 0;
  }
  try {
    return run(options);
  } catch (const gs::tools::ConnectionError &e) {
    std::fprintf(stderr, "genre-sync-bench: %s\n", e.what());
    return 1;
  } catch (const gs::bench::MismatchError &e) {
    std::fprintf(stderr, "genre-sync-bench: CORRECTNESS BUG: %s\n", e.what());
    return 3;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "genre-sync-bench: %s\n", e.what());
    return 2;
  }
}
