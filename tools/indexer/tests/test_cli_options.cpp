#include "indexer/cli_options.hpp"

#include <catch2/catch.hpp>

#include <vector>

using gs::indexer::CliOptions;
using gs::indexer::parse_cli;
using gs::indexer::UsageError;

namespace {

CliOptions parse(std::vector<const char *> args) {
  args.insert(args.begin(), "genre-sync-indexer");
  return parse_cli(static_cast<int>(args.size()), args.data());
}

}  // namespace

TEST_CASE("defaults build live with a 5 s lock timeout and 3 retries") {
  const CliOptions options = parse({});
  CHECK_FALSE(options.dry_run);
  CHECK_FALSE(options.quiet);
  CHECK_FALSE(options.help);
  CHECK(options.lock_timeout == "5s");
  CHECK(options.retries == 3);
  CHECK(options.connection.dbname.empty());
}

TEST_CASE("connection flags in both spellings") {
  const CliOptions options =
      parse({"-h", "/tmp/sock", "--port=5433", "-U", "alice", "--dbname", "app"});
  CHECK(options.connection.host == "/tmp/sock");
  CHECK(options.connection.port == "5433");
  CHECK(options.connection.user == "alice");
  CHECK(options.connection.dbname == "app");
}

TEST_CASE("a bare argument is the database name or a conninfo string") {
  CHECK(parse({"host=db port=6543 dbname=app"}).connection.dbname ==
        "host=db port=6543 dbname=app");
  CHECK(parse({"-n", "postgresql://u@db/app"}).connection.dbname == "postgresql://u@db/app");
  CHECK_THROWS_AS(parse({"app", "other"}), UsageError);
  CHECK_THROWS_AS(parse({"-d", "app", "other"}), UsageError);
}

TEST_CASE("mode flags") {
  CHECK(parse({"--dry-run"}).dry_run);
  CHECK(parse({"-n"}).dry_run);
  CHECK(parse({"-q"}).quiet);
  CHECK(parse({"--help"}).help);
  CHECK(parse({"-?"}).help);
  CHECK(parse({"--retries", "0"}).retries == 0);
  CHECK(parse({"--retries=7"}).retries == 7);
}

TEST_CASE("--lock-timeout takes PostgreSQL durations") {
  CHECK(parse({"--lock-timeout=250ms"}).lock_timeout == "250ms");
  CHECK(parse({"--lock-timeout", "2s"}).lock_timeout == "2s");
  CHECK(parse({"--lock-timeout=1min"}).lock_timeout == "1min");
  CHECK(parse({"--lock-timeout=1500"}).lock_timeout == "1500");
  // Zero would mean "wait forever", which defeats the option; a quote would
  // break out of the SET statement.
  for (const char *bad : {"0", "0s", "", "5 s", "5h", "-1s", "1s'", "s", "1234567890"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse({"--lock-timeout", bad}), UsageError);
  }
}

TEST_CASE("usage errors name the argument") {
  CHECK_THROWS_WITH(parse({"--frobnicate"}), "unknown option --frobnicate");
  CHECK_THROWS_WITH(parse({"--dry-run=yes"}), "option --dry-run takes no value");
  CHECK_THROWS_WITH(parse({"--bogus=1"}), "option --bogus takes no value");
  CHECK_THROWS_WITH(parse({"-U"}), "option -U needs a value");
  CHECK_THROWS_WITH(parse({"--retries=x"}),
                    "--retries must be an integer from 0 to 100, got \"x\"");
  CHECK_THROWS_AS(parse({"--retries=101"}), UsageError);
}

TEST_CASE("help documents every exit code") {
  const std::string help = gs::indexer::usage_text();
  for (const char *line :
       {"  0  ", "  1  could not connect", "  2  bad usage", "  3  permission denied",
        "  4  an index build or reorganisation failed", "  5  reorganisation interrupted"}) {
    INFO(line);
    CHECK(help.find(line) != std::string::npos);
  }
}

TEST_CASE("--reorganize takes tables in order, or all") {
  CHECK(parse({}).reorganize.empty());
  CHECK(parse({"--reorganize=note"}).reorganize == std::vector<std::string>{"note"});
  CHECK(parse({"--reorganize", "reference,note"}).reorganize ==
        std::vector<std::string>{"reference", "note"});
  CHECK(parse({"--reorganize=all"}).reorganize ==
        std::vector<std::string>{"note", "reference", "tune"});
  CHECK(parse({}).batch_rows == 10000);
  CHECK(parse({"--batch-rows=500"}).batch_rows == 500);
  CHECK_THROWS_WITH(parse({"--reorganize=note,note"}), "--reorganize names note twice");
  for (const char *bad : {"", "playlist", "note,", ",note", "note reference", "ALL"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse({"--reorganize", bad}), UsageError);
  }
  CHECK_THROWS_WITH(parse({"--batch-rows=0"}),
                    "--batch-rows must be an integer from 1 to 1000000, got \"0\"");
  CHECK_THROWS_AS(parse({"--batch-rows=1000001"}), UsageError);
}
