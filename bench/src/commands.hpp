#pragma once
// One entry point per subcommand; each returns the process exit code.
#include "options.hpp"

namespace gs::bench {

int run_pull(const Options &o);
int run_incremental(const Options &o);
int run_depth(const Options &o);
int run_explain(const Options &o);
int run_parallel(const Options &o);
int run_filter_change(const Options &o);
int run_paths(const Options &o);

}  // namespace gs::bench
