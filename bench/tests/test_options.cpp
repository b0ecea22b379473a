#include <catch2/catch.hpp>

#include "options.hpp"

using namespace gs::bench;

TEST_CASE("defaults: pull, 3 reps, page size 1000, no progress") {
    const Options o = parse_options({"pull"});
    CHECK(o.command == Command::pull);
    CHECK(o.reps == 3);
    CHECK(o.warmup == 1);
    CHECK(o.page_size == 1000);
    CHECK(o.progress_seconds == 0);
    CHECK(o.json_path.empty());
    CHECK_FALSE(o.brief);
    CHECK(o.out_dir == "bench/out");
    CHECK_FALSE(o.scale.has_value());
    CHECK(tables_for(o) == std::vector<Table>{Table::notes, Table::references, Table::tunes});
    CHECK(users_for(o) == std::vector<UserKind>{UserKind::two_genre, UserKind::all_genre});
}

TEST_CASE("connection options, short, long and joined forms") {
    const Options o = parse_options({"-h", "/tmp/sock", "-p5433", "--username=bob", "--dbname", "app", "explain"});
    CHECK(o.command == Command::explain);
    CHECK(o.connection.host == "/tmp/sock");
    CHECK(o.connection.port == "5433");
    CHECK(o.connection.user == "bob");
    CHECK(o.connection.dbname == "app");
}

TEST_CASE("options may follow the command") {
    const Options o = parse_options({"depth", "-t", "5", "--page-size=250", "--points", "12", "-P", "0.5",
                                     "--json", "r.json", "--out", "/tmp/x"});
    CHECK(o.command == Command::depth);
    CHECK(o.reps == 5);
    CHECK(o.page_size == 250);
    CHECK(o.points == 12);
    CHECK(o.progress_seconds == 0.5);
    CHECK(o.json_path == "r.json");
    CHECK(o.out_dir == "/tmp/x");
    CHECK(tables_for(o) == std::vector<Table>{Table::references});
    CHECK(users_for(o) == std::vector<UserKind>{UserKind::all_genre});
}

TEST_CASE("lists of tables and users") {
    const Options o =
        parse_options({"incremental", "--tables=tunes,notes", "--users", "all,two", "--delta=7", "--warmup=0"});
    CHECK(o.warmup == 0);
    CHECK(tables_for(o) == std::vector<Table>{Table::tunes, Table::notes});
    CHECK(users_for(o) == std::vector<UserKind>{UserKind::all_genre, UserKind::two_genre});
    CHECK(o.delta == 7);
    CHECK(parse_options({"--brief", "pull"}).brief);
}

TEST_CASE("--help stops parsing where it appears") {
    CHECK(parse_options({"--help"}).help);
    CHECK(parse_options({"-?"}).help);
    CHECK(parse_options({"pull", "-t", "2", "--help", "--bogus"}).help);
    CHECK_THROWS_AS(parse_options({"--bogus", "--help"}), UsageError);
    CHECK_FALSE(parse_options({"pull"}).help);
}

TEST_CASE("invalid command lines are rejected with a message naming the problem") {
    using Catch::Matchers::Contains;
    CHECK_THROWS_WITH(parse_options({}), Contains("missing command"));
    CHECK_THROWS_WITH(parse_options({"-t", "3"}), Contains("missing command"));
    CHECK_THROWS_WITH(parse_options({"pulll"}), Contains("unknown command"));
    CHECK_THROWS_WITH(parse_options({"pull", "depth"}), Contains("unexpected argument"));
    CHECK_THROWS_WITH(parse_options({"pull", "--bogus"}), Contains("unknown option: --bogus"));
    CHECK_THROWS_WITH(parse_options({"pull", "-x"}), Contains("unknown option: -x"));
    CHECK_THROWS_WITH(parse_options({"pull", "-t"}), Contains("needs a value"));
    CHECK_THROWS_WITH(parse_options({"pull", "-t", "abc"}), Contains("invalid number for -t"));
    CHECK_THROWS_WITH(parse_options({"pull", "-t", "3x"}), Contains("invalid number for -t"));
    CHECK_THROWS_WITH(parse_options({"pull", "-t", "0"}), Contains("between 1 and"));
    CHECK_THROWS_WITH(parse_options({"pull", "--page-size=-5"}), Contains("between 1 and"));
    CHECK_THROWS_WITH(parse_options({"pull", "--page-size="}), Contains("invalid number"));
    CHECK_THROWS_WITH(parse_options({"pull", "-P", "0"}), Contains("more than 0"));
    CHECK_THROWS_WITH(parse_options({"pull", "--tables=notes,tune"}), Contains("unknown table"));
    CHECK_THROWS_WITH(parse_options({"pull", "--users=some"}), Contains("unknown user"));
    CHECK_THROWS_AS(parse_options({"pull", "--points=1"}), UsageError);
}
