#include "datagen/cli_options.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace gs::datagen;

namespace {

CliOptions parse(std::vector<const char *> args) {
  args.insert(args.begin(), "genre-sync-datagen");
  return parse_cli(static_cast<int>(args.size()), args.data());
}

}  // namespace

TEST_CASE("good command lines") {
  const CliOptions minimal = parse({"--scale", "1"});
  CHECK(minimal.scale == 1.0);
  CHECK(minimal.scale_text == "1");
  CHECK(minimal.seed == 1);
  CHECK_FALSE(minimal.create_schema);
  CHECK_FALSE(minimal.quiet);
  CHECK(minimal.connection.dbname.empty());

  const CliOptions full = parse({"--scale=0.1", "--seed=18446744073709551615", "--create-schema",
                                 "-q", "-h", "/tmp/s", "-p", "5433", "-U", "bob", "-d", "app"});
  CHECK(full.scale == 0.1);
  CHECK(full.seed == 18446744073709551615ULL);
  CHECK(full.create_schema);
  CHECK(full.quiet);
  CHECK(full.connection.host == "/tmp/s");
  CHECK(full.connection.port == "5433");
  CHECK(full.connection.user == "bob");
  CHECK(full.connection.dbname == "app");

  const CliOptions positional =
      parse({"-s", "2.5", "--quiet", "host=/tmp/x dbname=app", "--seed", "9"});
  CHECK(positional.scale == 2.5);
  CHECK(positional.seed == 9);
  CHECK(positional.quiet);
  CHECK(positional.connection.dbname == "host=/tmp/x dbname=app");

  CHECK(parse({"--host=db", "--port=1", "--username=u", "--dbname=d", "--scale=10000"})
            .connection.host == "db");
}

TEST_CASE("--help wins over everything after it, with no --scale needed") {
  CHECK(parse({"--help"}).help);
  CHECK(parse({"-?", "--scale", "nope"}).help);
}

TEST_CASE("bad command lines are usage errors that say what is wrong") {
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(parse({}), "--scale is required");
  CHECK_THROWS_WITH(parse({"--seed", "3"}), "--scale is required");
  CHECK_THROWS_WITH(parse({"--scale", "abc"}), "--scale: 'abc' is not a number");
  CHECK_THROWS_WITH(parse({"--scale", "1x"}), "--scale: '1x' is not a number");
  CHECK_THROWS_WITH(parse({"--scale="}), "--scale: '' is not a number");
  CHECK_THROWS_WITH(parse({"--scale", "0"}), Contains("out of range"));
  CHECK_THROWS_WITH(parse({"--scale", "-1"}), Contains("out of range"));
  CHECK_THROWS_WITH(parse({"--scale", "0.05"}), Contains("out of range"));
  CHECK_THROWS_WITH(parse({"--scale", "10001"}), Contains("out of range"));
  CHECK_THROWS_WITH(parse({"--scale", "nan"}), Contains("out of range"));
  CHECK_THROWS_WITH(parse({"--scale", "1", "--seed", "-1"}),
                    "--seed: '-1' is not an unsigned 64-bit integer");
  CHECK_THROWS_WITH(parse({"--scale", "1", "--seed", "18446744073709551616"}), Contains("--seed"));
  CHECK_THROWS_WITH(parse({"--scale", "1", "--seed"}), "option '--seed' needs a value");
  CHECK_THROWS_WITH(parse({"--scale", "1", "-h"}), "option '-h' needs a value");
  CHECK_THROWS_WITH(parse({"--scale", "1", "--verbose"}), "unknown option '--verbose'");
  CHECK_THROWS_WITH(parse({"--scale", "1", "--create-schema=yes"}),
                    "unknown option '--create-schema=yes'");
  CHECK_THROWS_WITH(parse({"--scale", "1", "-d", "a", "b"}),
                    "give the database either with -d or as an argument, not both");
  CHECK_THROWS_WITH(parse({"--scale", "1", "a", "b"}), "unexpected argument 'b'");
  CHECK_THROWS_AS(parse({"--scale", "1", "--verbose"}), UsageError);
}

TEST_CASE("--physical-order: shuffled by default, time or shuffled when given") {
  CHECK(parse({"--scale", "1"}).physical_order == PhysicalOrder::shuffled);
  CHECK(parse({"--scale", "1", "--physical-order", "time"}).physical_order == PhysicalOrder::time);
  CHECK(parse({"--physical-order=time", "--scale", "1"}).physical_order == PhysicalOrder::time);
  CHECK(parse({"--scale", "1", "--physical-order=time", "--physical-order=shuffled"})
            .physical_order == PhysicalOrder::shuffled);
  CHECK(physical_order_name(PhysicalOrder::time) == "time");
  CHECK(physical_order_name(PhysicalOrder::shuffled) == "shuffled");
}

TEST_CASE("--physical-order: anything else is a usage error") {
  CHECK_THROWS_WITH(parse({"--scale", "1", "--physical-order", "random"}),
                    "--physical-order: 'random' is neither 'time' nor 'shuffled'");
  CHECK_THROWS_WITH(parse({"--scale", "1", "--physical-order=Time"}),
                    "--physical-order: 'Time' is neither 'time' nor 'shuffled'");
  CHECK_THROWS_WITH(parse({"--scale", "1", "--physical-order="}),
                    "--physical-order: '' is neither 'time' nor 'shuffled'");
  CHECK_THROWS_WITH(parse({"--scale", "1", "--physical-order"}),
                    "option '--physical-order' needs a value");
}
