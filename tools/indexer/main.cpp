// genre-sync-indexer: creates the genre_sync extension's supporting indexes
// on a live database (see --help).
#include "common/pg_connection.hpp"
#include "common/progress_bar.hpp"
#include "indexer/cli_options.hpp"
#include "indexer/concurrent_build.hpp"
#include "indexer/exit_codes.hpp"
#include "indexer/index_plan.hpp"
#include "indexer/reorganize.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace {

using namespace gs;
using namespace gs::indexer;

std::atomic<bool> stop_requested{false};

// The first Ctrl-C stops after the current batch (whose transaction then
// commits, so the run resumes after it); a second one ends the process,
// and the server rolls the unfinished batch back.
extern "C" void on_interrupt(int) {
  if (stop_requested.exchange(true)) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
}

int reorganize(const CliOptions &options) {
  tools::PgConnection writer = tools::PgConnection::open(options.connection, "genre-sync-indexer");
  const std::string schema = read_plan(writer).schema;
  tools::PgConnection holder =
      tools::PgConnection::open(options.connection, "genre-sync-indexer snapshot");
  const ReorganizeSettings settings{options.batch_rows,
                                    tools::ProgressBar::style_for(STDERR_FILENO, options.quiet)};
  std::signal(SIGINT, on_interrupt);
  for (const std::string &table : options.reorganize) {
    const ReorganizeResult r =
        reorganize_table(writer, holder, schema, table, settings, stop_requested, std::cerr);
    char line[256];
    std::snprintf(line, sizeof line,
                  "%s: %lld rows rewritten in %.1f s, WAL %.1f MB, heap %lld -> %lld pages%s\n",
                  table.c_str(), r.rows, r.seconds, static_cast<double>(r.wal_bytes) / 1048576.0,
                  r.pages_before, r.pages_after,
                  r.interrupted ? "; interrupted, run again to resume" : "");
    std::cout << line << std::flush;
    if (r.interrupted) {
      return exit_interrupted;
    }
  }
  return exit_ok;
}

int run(const CliOptions &options) {
  if (!options.reorganize.empty()) {
    return reorganize(options);
  }
  tools::PgConnection builder = tools::PgConnection::open(options.connection, "genre-sync-indexer");
  const IndexPlan plan = read_plan(builder);
  print_plan(std::cout, plan);
  std::cout << std::flush;
  if (options.dry_run) {
    return exit_ok;
  }
  tools::PgConnection watcher =
      tools::PgConnection::open(options.connection, "genre-sync-indexer progress");
  const BuildSettings settings{options.lock_timeout, options.retries,
                               tools::ProgressBar::style_for(STDERR_FILENO, options.quiet)};
  const std::vector<std::string> built = build_missing(builder, watcher, plan, settings, std::cerr);

  // Trust the catalog, not our bookkeeping: report what the extension sees now.
  int unusable = 0;
  for (const RequiredIndex &index : read_plan(builder).indexes) {
    if (!index.valid) {
      std::cerr << "genre-sync-indexer: " << index.index_name << " is still "
                << (index.present ? "invalid" : "missing") << '\n';
      ++unusable;
    }
  }
  std::cout << "built " << built.size() << " of " << plan.indexes.size() << " indexes; "
            << plan.indexes.size() - unusable << " present and valid\n";
  return unusable == 0 ? exit_ok : exit_build_failed;
}

}  // namespace

int main(int argc, char **argv) {
  CliOptions options;
  try {
    options = parse_cli(argc, argv);
  } catch (const UsageError &error) {
    std::cerr << "genre-sync-indexer: " << error.what() << "\nTry \"genre-sync-indexer --help\".\n";
    return exit_usage;
  }
  if (options.help) {
    std::cout << usage_text();
    return exit_ok;
  }
  try {
    return run(options);
  } catch (const tools::ConnectionError &error) {
    std::cerr << "genre-sync-indexer: " << error.what() << '\n';
    return exit_connection_failed;
  } catch (const PermissionDenied &error) {
    std::cerr << "genre-sync-indexer: " << error.what() << '\n';
    return exit_permission_denied;
  } catch (const tools::PgError &error) {
    std::cerr << "genre-sync-indexer: " << error.what() << '\n';
    return error.sqlstate() == "42501" ? exit_permission_denied : exit_build_failed;
  } catch (const std::exception &error) {
    std::cerr << "genre-sync-indexer: " << error.what() << '\n';
    return exit_build_failed;
  }
}
