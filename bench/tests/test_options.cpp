#include <catch2/catch.hpp>

#include "methods.hpp"
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
  const Options o =
      parse_options({"-h", "/tmp/sock", "-p5433", "--username=bob", "--dbname", "app", "explain"});
  CHECK(o.command == Command::explain);
  CHECK(o.connection.host == "/tmp/sock");
  CHECK(o.connection.port == "5433");
  CHECK(o.connection.user == "bob");
  CHECK(o.connection.dbname == "app");
}

TEST_CASE("options may follow the command") {
  const Options o = parse_options({"depth", "-t", "5", "--page-size=250", "--points", "12", "-P",
                                   "0.5", "--json", "r.json", "--out", "/tmp/x"});
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
  const Options o = parse_options(
      {"incremental", "--tables=tunes,notes", "--users", "all,two", "--delta=7", "--warmup=0"});
  CHECK(o.warmup == 0);
  CHECK(tables_for(o) == std::vector<Table>{Table::tunes, Table::notes});
  CHECK(users_for(o) == std::vector<UserKind>{UserKind::all_genre, UserKind::two_genre});
  CHECK(o.delta == 7);
  CHECK(parse_options({"--brief", "pull"}).brief);
}

TEST_CASE("--methods picks the methods, in the order they always run") {
  CHECK(parse_options({"pull"}).methods.empty());
  const Options o = parse_options({"pull", "--methods=copy,ours,peer"});
  CHECK(o.methods ==
        std::vector<Method>{Method::copy_floor, Method::ours_keyset, Method::peer_keyset});
  CHECK(methods_for(Table::references, o.methods) ==
        std::vector<Method>{Method::peer_keyset, Method::ours_keyset, Method::copy_floor});
  CHECK(methods_for(Table::tunes, {Method::ours_offset, Method::seed_offset}) ==
        std::vector<Method>{Method::seed_offset});
  CHECK(methods_for(Table::notes).size() == 7);
  CHECK(parse_options({"pull", "--methods=envelope,json,ours"}).methods ==
        std::vector<Method>{Method::ours_envelope, Method::ours_page_json, Method::ours_keyset});
  CHECK(methods_for(Table::tunes, {Method::ours_envelope, Method::ours_page_json}) ==
        std::vector<Method>{Method::ours_page_json, Method::ours_envelope});
  CHECK_THROWS_WITH(parse_options({"pull", "--methods=ours,fast"}),
                    Catch::Matchers::Contains("unknown method in --methods: \"fast\""));
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

TEST_CASE("parallel: defaults, client list, simulated round trip, several hosts") {
  const Options d = parse_options({"parallel"});
  CHECK(d.command == Command::parallel);
  CHECK(d.clients == std::vector<int>{1, 2, 4, 8});
  CHECK(d.rtt_ms == 0);
  CHECK(d.parts_per_connection == 1);
  CHECK(d.dbnames.empty());
  CHECK_FALSE(d.together);
  CHECK_FALSE(d.via_pages);
  CHECK(tables_for(d) == std::vector<Table>{Table::notes, Table::references});
  CHECK(users_for(d) == std::vector<UserKind>{UserKind::all_genre});

  const Options o =
      parse_options({"parallel", "-c", "1,2,4,8,16", "--rtt-ms=50", "--parts-per-connection", "3",
                     "-d", "host=a dbname=x", "--dbname=host=b dbname=x"});
  CHECK(o.clients == std::vector<int>{1, 2, 4, 8, 16});
  CHECK(o.rtt_ms == 50);
  CHECK(o.parts_per_connection == 3);
  CHECK(o.dbnames == std::vector<std::string>{"host=a dbname=x", "host=b dbname=x"});
  CHECK(o.connection.dbname == "host=b dbname=x");
  CHECK(parse_options({"parallel", "-c4"}).clients == std::vector<int>{4});
  CHECK(parse_options({"--together", "parallel"}).together);
  CHECK(parse_options({"parallel", "--via=pages"}).via_pages);
  CHECK_FALSE(parse_options({"parallel", "--via", "pull"}).via_pages);
}

TEST_CASE("parallel: bad client lists and delays are rejected") {
  CHECK_THROWS_WITH(parse_options({"parallel", "-c", "1,,4"}), "invalid number for -c: \"\"");
  CHECK_THROWS_WITH(parse_options({"parallel", "-c", "0"}), "-c must be between 1 and 64, got 0");
  CHECK_THROWS_WITH(parse_options({"parallel", "-c", "65"}), "-c must be between 1 and 64, got 65");
  CHECK_THROWS_WITH(parse_options({"parallel", "--rtt-ms", "-1"}),
                    "--rtt-ms must be between 0 and 60000, got -1");
  CHECK_THROWS_WITH(parse_options({"parallel", "--via=cursor"}),
                    "unknown value for --via: \"cursor\" (pull, pages)");
  CHECK_THROWS_WITH(parse_options({"parallel", "--parts-per-connection=0"}),
                    "--parts-per-connection must be between 1 and 100, got 0");
}

TEST_CASE("filter-change: defaults, a chosen genre, the common options") {
  const Options d = parse_options({"filter-change"});
  CHECK(d.command == Command::filter_change);
  CHECK(std::string(command_name(d.command)) == "filter-change");
  CHECK(d.genre.empty());
  CHECK(d.reps == 3);
  CHECK(d.warmup == 1);
  CHECK(d.page_size == 1000);
  CHECK(tables_for(d) == std::vector<Table>{Table::notes, Table::references, Table::tunes});
  CHECK(users_for(d) == std::vector<UserKind>{UserKind::two_genre, UserKind::all_genre});

  const Options o =
      parse_options({"--genre=irish", "filter-change", "-t5", "--warmup", "0", "--users=two",
                     "--tables", "notes,tunes", "--page-size=500", "--json", "fc.json"});
  CHECK(o.genre == "irish");
  CHECK(o.reps == 5);
  CHECK(o.warmup == 0);
  CHECK(o.page_size == 500);
  CHECK(o.json_path == "fc.json");
  CHECK(users_for(o) == std::vector<UserKind>{UserKind::two_genre});
  CHECK(tables_for(o) == std::vector<Table>{Table::notes, Table::tunes});
  CHECK(parse_options({"filter-change", "--genre", "oldtime"}).genre == "oldtime");
}

TEST_CASE("filter-change: bad command lines are rejected") {
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(parse_options({"filter-change", "--genre"}), Contains("needs a value"));
  CHECK_THROWS_WITH(parse_options({"filter-change", "--genre="}),
                    Contains("--genre needs a genre id"));
  CHECK_THROWS_WITH(parse_options({"filter_change"}), Contains("unknown command"));
  CHECK_THROWS_WITH(parse_options({"filterchange"}), Contains("filter-change, paths)"));
  CHECK_THROWS_WITH(parse_options({"filter-change", "pull"}),
                    Contains("the command is filter-change"));
  CHECK(usage_text().find("filter-change") != std::string::npos);
  CHECK(usage_text().find("--genre=ID") != std::string::npos);
}

TEST_CASE("paths: all three paths by default, --paths and --calls choose") {
  const Options d = parse_options({"paths"});
  CHECK(d.command == Command::paths);
  CHECK(d.paths == std::vector<Path>{Path::default_path, Path::key_index, Path::rls});
  CHECK(d.calls == 20);
  CHECK(tables_for(d) == std::vector<Table>{Table::notes, Table::references, Table::tunes});
  CHECK(users_for(d) == std::vector<UserKind>{UserKind::two_genre, UserKind::all_genre});
  const Options o =
      parse_options({"paths", "--paths=rls,default", "--calls", "5", "-d", "a", "-d", "b"});
  CHECK(o.paths == std::vector<Path>{Path::rls, Path::default_path});
  CHECK(o.calls == 5);
  CHECK(o.dbnames == std::vector<std::string>{"a", "b"});
  CHECK(std::string(path_option_name(Path::key_index)) == "key");
}

TEST_CASE("paths: bad --paths and --calls are usage errors") {
  CHECK_THROWS_WITH(parse_options({"paths", "--paths=default,fast"}),
                    "unknown path in --paths: \"fast\" (default, key, rls)");
  CHECK_THROWS_WITH(parse_options({"paths", "--paths=key,key"}),
                    "path \"key\" given twice in --paths");
  CHECK_THROWS_WITH(parse_options({"paths", "--paths="}),
                    "unknown path in --paths: \"\" (default, key, rls)");
  CHECK_THROWS_WITH(parse_options({"paths", "--calls=0"}),
                    "--calls must be between 1 and 100000, got 0");
}

// (Seen failing: with parse_options() not checking the command, the pull
// line did not throw.)
TEST_CASE("paths: --peer-limit bounds the DBA keyset, paths only") {
  CHECK_FALSE(parse_options({"paths"}).peer_limit_seconds.has_value());
  CHECK(parse_options({"paths", "--peer-limit=60"}).peer_limit_seconds == 60.0);
  CHECK(parse_options({"--peer-limit", "0.5", "paths"}).peer_limit_seconds == 0.5);
  CHECK_THROWS_WITH(parse_options({"paths", "--peer-limit=0"}),
                    "--peer-limit must be more than 0 and at most 3600 seconds, got 0");
  CHECK_THROWS_WITH(parse_options({"paths", "--peer-limit=1m"}),
                    "invalid number for --peer-limit: \"1m\"");
  CHECK_THROWS_WITH(parse_options({"pull", "--peer-limit=60"}),
                    "--peer-limit applies to paths only");
  CHECK(usage_text().find("--peer-limit=SEC") != std::string::npos);
}
