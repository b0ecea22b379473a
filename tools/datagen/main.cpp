// genre-sync-datagen: fills an empty app schema per docs/dataset.md.
#include "common/pg_connection.hpp"
#include "common/progress_bar.hpp"
#include "datagen/cli_options.hpp"
#include "datagen/dataset_plan.hpp"
#include "datagen/loader.hpp"
#include "datagen/report.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace {

enum ExitCode { ok = 0, connection_failed = 1, usage_or_target = 2, load_failed = 3 };

int run(const gs::datagen::CliOptions &options) {
  using namespace gs;
  const auto start = std::chrono::steady_clock::now();
  tools::PgConnection conn = tools::PgConnection::open(options.connection, "genre-sync-datagen");
  try {
    datagen::check_target(conn, options.create_schema);
  } catch (const datagen::TargetNotReady &error) {
    std::cerr << "genre-sync-datagen: " << error.what() << '\n';
    return usage_or_target;
  }
  const datagen::DatasetPlan plan = datagen::plan_dataset(options.scale, options.seed);
  tools::ProgressBar progress(std::cerr,
                              tools::ProgressBar::style_for(STDERR_FILENO, options.quiet));
  const datagen::LoadTimes times =
      datagen::load_dataset(conn, plan, options.create_schema, options.physical_order, progress);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf("genre-sync-datagen: scale %s, seed %llu\n", options.scale_text.c_str(),
              static_cast<unsigned long long>(options.seed));
  std::printf("loaded in %.2f s (load transaction %.2f s, ANALYZE %.2f s)\n", elapsed,
              times.copy_seconds, times.analyze_seconds);
  if (times.foreign_keys_checked_after_load) {
    std::printf("foreign keys: checked in bulk after COPY (%.2f s)\n", times.verify_seconds);
  } else {
    std::printf("foreign keys: checked per row by their triggers\n");
  }
  datagen::print_physical_order(std::cout, options.physical_order,
                                datagen::read_time_correlations(conn));
  std::cout << '\n';
  datagen::print_table_counts(std::cout, datagen::count_tables(conn), times.table_seconds);
  std::cout << "\nnamed users (user_profile.name), first sync per the seed's row filter:\n";
  for (const char *name : {datagen::two_genre_user_name, datagen::all_genre_user_name}) {
    datagen::print_named_user(std::cout, datagen::named_user_report(conn, name));
  }
  return ok;
}

}  // namespace

int main(int argc, char **argv) {
  gs::datagen::CliOptions options;
  try {
    options = gs::datagen::parse_cli(argc, argv);
  } catch (const gs::datagen::UsageError &error) {
    std::cerr << "genre-sync-datagen: " << error.what() << "\nTry \"genre-sync-datagen --help\".\n";
    return usage_or_target;
  }
  if (options.help) {
    std::cout << gs::datagen::usage_text();
    return ok;
  }
  try {
    return run(options);
  } catch (const gs::tools::ConnectionError &error) {
    std::cerr << "genre-sync-datagen: " << error.what() << '\n';
    return connection_failed;
  } catch (const std::exception &error) {
    std::cerr << "genre-sync-datagen: " << error.what() << '\n';
    return load_failed;
  }
}
