// genre-sync-indexer: creates the genre_sync extension's supporting indexes
// on a live database (see --help).
#include "common/pg_connection.hpp"
#include "common/progress_bar.hpp"
#include "indexer/cli_options.hpp"
#include "indexer/concurrent_build.hpp"
#include "indexer/exit_codes.hpp"
#include "indexer/index_plan.hpp"

#include <unistd.h>

#include <iostream>

namespace {

using namespace gs;
using namespace gs::indexer;

int run(const CliOptions &options) {
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
