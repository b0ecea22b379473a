#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>

namespace gs::bench {

const char *command_name(Command c) {
  switch (c) {
    case Command::explain: return "explain";
    case Command::pull: return "pull";
    case Command::depth: return "depth";
    case Command::incremental: return "incremental";
    case Command::parallel: return "parallel";
    case Command::filter_change: return "filter-change";
    case Command::paths: return "paths";
  }
  return "?";
}

const char *table_name(Table t) {
  switch (t) {
    case Table::notes: return "notes";
    case Table::references: return "references";
    case Table::tunes: return "tunes";
  }
  return "?";
}

const char *sync_table_name(Table t) {
  switch (t) {
    case Table::notes: return "note";
    case Table::references: return "reference";
    case Table::tunes: return "tune";
  }
  return "?";
}

const char *user_kind_name(UserKind u) {
  return u == UserKind::two_genre ? "two-genre" : "all-genre";
}

const char *path_option_name(Path p) {
  switch (p) {
    case Path::default_path: return "default";
    case Path::key_index: return "key";
    case Path::rls: return "rls";
  }
  return "?";
}

namespace {

constexpr Path all_paths[] = {Path::default_path, Path::key_index, Path::rls};

int parse_int(const std::string &opt, const std::string &v, int lo, int hi) {
  int n = 0;
  const auto res = std::from_chars(v.data(), v.data() + v.size(), n);
  if (res.ec != std::errc() || res.ptr != v.data() + v.size() || v.empty())
    throw UsageError("invalid number for " + opt + ": \"" + v + "\"");
  if (n < lo || n > hi)
    throw UsageError(opt + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                     ", got " + v);
  return n;
}

double parse_seconds(const std::string &opt, const std::string &v) {
  double d = 0;
  const auto res = std::from_chars(v.data(), v.data() + v.size(), d);
  if (res.ec != std::errc() || res.ptr != v.data() + v.size() || v.empty())
    throw UsageError("invalid number for " + opt + ": \"" + v + "\"");
  if (!(d > 0 && d <= 3600))
    throw UsageError(opt + " must be more than 0 and at most 3600 seconds, got " + v);
  return d;
}

std::vector<std::string> split_list(const std::string &v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = v.find(',', start);
    out.push_back(v.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<int> parse_clients(const std::string &opt, const std::string &v) {
  std::vector<int> out;
  for (const auto &n : split_list(v)) out.push_back(parse_int(opt, n, 1, 64));
  return out;
}

bool parse_via(const std::string &opt, const std::string &v) {
  if (v == "pull") return false;
  if (v == "pages") return true;
  throw UsageError("unknown value for " + opt + ": \"" + v + "\" (pull, pages)");
}

std::vector<Table> parse_tables(const std::string &opt, const std::string &v) {
  std::vector<Table> out;
  for (const auto &name : split_list(v)) {
    if (name == "notes")
      out.push_back(Table::notes);
    else if (name == "references")
      out.push_back(Table::references);
    else if (name == "tunes")
      out.push_back(Table::tunes);
    else
      throw UsageError("unknown table in " + opt + ": \"" + name + "\" (notes, references, tunes)");
  }
  return out;
}

std::vector<UserKind> parse_users(const std::string &opt, const std::string &v) {
  std::vector<UserKind> out;
  for (const auto &name : split_list(v)) {
    if (name == "two" || name == "two-genre")
      out.push_back(UserKind::two_genre);
    else if (name == "all" || name == "all-genre")
      out.push_back(UserKind::all_genre);
    else
      throw UsageError("unknown user in " + opt + ": \"" + name + "\" (two, all)");
  }
  return out;
}

std::vector<Method> parse_methods(const std::string &opt, const std::string &v) {
  std::vector<Method> out;
  for (const auto &name : split_list(v)) {
    if (name == "seed")
      out.push_back(Method::seed_offset);
    else if (name == "peer")
      out.push_back(Method::peer_keyset);
    else if (name == "ours")
      out.push_back(Method::ours_keyset);
    else if (name == "dropin")
      out.push_back(Method::ours_offset);
    else if (name == "copy")
      out.push_back(Method::copy_floor);
    else if (name == "json")
      out.push_back(Method::ours_page_json);
    else if (name == "envelope")
      out.push_back(Method::ours_envelope);
    else
      throw UsageError("unknown method in " + opt + ": \"" + name +
                       "\" (seed, peer, ours, dropin, copy, json, envelope)");
  }
  return out;
}

std::vector<Path> parse_paths(const std::string &opt, const std::string &v) {
  std::vector<Path> out;
  for (const auto &name : split_list(v)) {
    const auto known = std::find_if(std::begin(all_paths), std::end(all_paths),
                                    [&](Path p) { return name == path_option_name(p); });
    if (known == std::end(all_paths))
      throw UsageError("unknown path in " + opt + ": \"" + name + "\" (default, key, rls)");
    if (std::find(out.begin(), out.end(), *known) != out.end())
      throw UsageError("path \"" + name + "\" given twice in " + opt);
    out.push_back(*known);
  }
  return out;
}

std::optional<Command> parse_command(const std::string &v) {
  if (v == "explain") return Command::explain;
  if (v == "pull") return Command::pull;
  if (v == "depth") return Command::depth;
  if (v == "incremental") return Command::incremental;
  if (v == "parallel") return Command::parallel;
  if (v == "filter-change") return Command::filter_change;
  if (v == "paths") return Command::paths;
  return std::nullopt;
}

using Setter = std::function<void(Options &, const std::string &opt, const std::string &value)>;

const std::map<std::string, Setter> &value_options() {
  static const std::map<std::string, Setter> m = {
      {"-t", [](Options &o, auto &k, auto &v) { o.reps = parse_int(k, v, 1, 1000); }},
      {"--reps", [](Options &o, auto &k, auto &v) { o.reps = parse_int(k, v, 1, 1000); }},
      {"--warmup", [](Options &o, auto &k, auto &v) { o.warmup = parse_int(k, v, 0, 100); }},
      {"--page-size",
       [](Options &o, auto &k, auto &v) { o.page_size = parse_int(k, v, 1, 1000000); }},
      {"--tables", [](Options &o, auto &k, auto &v) { o.tables = parse_tables(k, v); }},
      {"--users", [](Options &o, auto &k, auto &v) { o.users = parse_users(k, v); }},
      {"--methods", [](Options &o, auto &k, auto &v) { o.methods = parse_methods(k, v); }},
      {"--two-genre-user", [](Options &o, auto &, auto &v) { o.two_genre_user_id = v; }},
      {"--all-genre-user", [](Options &o, auto &, auto &v) { o.all_genre_user_id = v; }},
      {"--scale", [](Options &o, auto &k, auto &v) { o.scale = parse_int(k, v, 1, 1000000); }},
      {"--points", [](Options &o, auto &k, auto &v) { o.points = parse_int(k, v, 2, 10000); }},
      {"--delta", [](Options &o, auto &k, auto &v) { o.delta = parse_int(k, v, 1, 1000000); }},
      {"--paths", [](Options &o, auto &k, auto &v) { o.paths = parse_paths(k, v); }},
      {"--calls", [](Options &o, auto &k, auto &v) { o.calls = parse_int(k, v, 1, 100000); }},
      {"--peer-limit",
       [](Options &o, auto &k, auto &v) { o.peer_limit_seconds = parse_seconds(k, v); }},
      {"--genre",
       [](Options &o, auto &k, auto &v) {
         if (v.empty()) throw UsageError("option " + k + " needs a genre id");
         o.genre = v;
       }},
      {"-c", [](Options &o, auto &k, auto &v) { o.clients = parse_clients(k, v); }},
      {"--clients", [](Options &o, auto &k, auto &v) { o.clients = parse_clients(k, v); }},
      {"--rtt-ms", [](Options &o, auto &k, auto &v) { o.rtt_ms = parse_int(k, v, 0, 60000); }},
      {"--parts-per-connection",
       [](Options &o, auto &k, auto &v) { o.parts_per_connection = parse_int(k, v, 1, 100); }},
      {"--via", [](Options &o, auto &k, auto &v) { o.via_pages = parse_via(k, v); }},
      {"-P", [](Options &o, auto &k, auto &v) { o.progress_seconds = parse_seconds(k, v); }},
      {"--progress",
       [](Options &o, auto &k, auto &v) { o.progress_seconds = parse_seconds(k, v); }},
      {"--json", [](Options &o, auto &, auto &v) { o.json_path = v; }},
      {"--out", [](Options &o, auto &, auto &v) { o.out_dir = v; }},
  };
  return m;
}

}  // namespace

Options parse_options(const std::vector<std::string> &args) {
  Options o;
  std::optional<Command> command;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-?") {
      o.help = true;
      return o;
    }
    if (arg == "--brief") {
      o.brief = true;
      continue;
    }
    if (arg == "--together") {
      o.together = true;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      std::string value;
      bool inline_value = false;
      if (arg.rfind("--", 0) == 0) {
        if (const auto eq = arg.find('='); eq != std::string::npos) {
          value = arg.substr(eq + 1);
          arg = arg.substr(0, eq);
          inline_value = true;
        }
      } else if (arg.size() > 2) {  // pgbench style: -t5, -P1
        value = arg.substr(2);
        arg = arg.substr(0, 2);
        inline_value = true;
      }
      const auto it = value_options().find(arg);
      const bool is_connection = gs::tools::ConnectionOptions::is_connection_flag(arg);
      if (it == value_options().end() && !is_connection)
        throw UsageError("unknown option: " + args[i]);
      if (!inline_value) {
        if (i + 1 >= args.size()) throw UsageError("option " + arg + " needs a value");
        value = args[++i];
      }
      if (arg == "-d" || arg == "--dbname") o.dbnames.push_back(value);
      if (is_connection)
        o.connection.accept(arg, value);
      else
        it->second(o, arg, value);
      continue;
    }
    if (command)
      throw UsageError("unexpected argument: \"" + arg + "\" (the command is " +
                       command_name(*command) + ")");
    command = parse_command(arg);
    if (!command)
      throw UsageError("unknown command: \"" + arg +
                       "\" (explain, pull, depth, incremental, parallel, filter-change, paths)");
  }
  if (!command)
    throw UsageError(
        "missing command (explain, pull, depth, incremental, parallel, filter-change, paths)");
  o.command = *command;
  if (o.peer_limit_seconds && o.command != Command::paths)
    throw UsageError("--peer-limit applies to paths only");
  return o;
}

std::vector<Table> tables_for(const Options &o) {
  if (!o.tables.empty()) return o.tables;
  if (o.command == Command::depth) return {Table::references};
  if (o.command == Command::parallel) return {Table::notes, Table::references};
  return {Table::notes, Table::references, Table::tunes};
}

std::vector<UserKind> users_for(const Options &o) {
  if (!o.users.empty()) return o.users;
  if (o.command == Command::depth || o.command == Command::parallel) return {UserKind::all_genre};
  return {UserKind::two_genre, UserKind::all_genre};
}

std::string usage_text() {
  const std::string commands =
      R"(genre-sync-bench measures the genre_sync RPCs against the seed plan's SQL.

Usage:
  genre-sync-bench [OPTION]... COMMAND

Commands:
  explain        plans (auto_explain: analyze, buffers, nested statements) of each
                 RPC's first page, deep page and empty incremental call, before
                 and after sync_create_indexes()
  pull           full pull per user and table: seed OFFSET, DBA keyset (peer),
                 our keyset pages, our drop-in OFFSET, COPY floor
  depth          latency of page k across the result, OFFSET vs keyset (CSV + SVG)
  incremental    empty and small-delta incremental calls
  parallel       full pull over P connections at once, each walking key ranges
                 from sync_partition_bounds with sync_pull; rows/s and speedup
                 over P=1, checked against the sequential pull
  filter-change  add a genre to a user's selection after a full sync_pull: the
                 catch-up from the cursor against a full re-sync of the new
                 filter; then remove it again: the move-out (removed ids)
  paths          per database given (-d, each a layout: time order, shuffled)
                 and per path (default, key index, RLS caller): ours against
                 the DBA keyset and the COPY floor; and the per-call cost of
                 an empty incremental call and a 10-row page (page function,
                 sync_pull) against a plain SELECT of the same rows

)";
  const std::string run_and_output = R"(
What to run:
  -t, --reps=N             interleaved repetitions of each measurement (default 3)
  --warmup=N               untimed rounds first, to warm caches and plans (default 1)
  --page-size=N            rows per page (default 1000)
  --tables=LIST            notes,references,tunes (default: all three;
                           depth: references; parallel: notes,references)
  --users=LIST             two,all: the 2-genre and the all-genre user
                           (default: both; depth, parallel: all)
  --methods=LIST           pull, incremental, paths: seed,peer,ours,dropin,copy,
                           json,envelope (the seed's OFFSET, the DBA keyset, our
                           keyset pages, our drop-in OFFSET, the COPY floor, our
                           pages as json_agg, sync_pull (pull only); default:
                           all; paths: peer,ours,copy of them)
  --two-genre-user=UUID    use this user instead of finding it in the data
  --all-genre-user=UUID    use this user instead of finding it in the data
  --scale=N                scale factor to print (default: inferred from tune count)
  --points=N               depth: pages sampled across the result (default 20)
  --delta=N                incremental: rows in the small delta (default 100)
  --paths=LIST             paths: default,key,rls (default: all three, in that
                           order). default disables the key index, key enables
                           it (both restored at the end); rls runs as role
                           gs_bench_rls (bench/sql/rls_caller.sql) with the key
                           index on
  --calls=N                paths: timed repetitions of each single call for the
                           per-call cost (default 20)
  --peer-limit=SEC         paths: stop a DBA keyset pull once it has taken SEC
                           seconds (its page requests run under statement_timeout)
                           and report it as "> SEC s, stopped", ours / DBA as an
                           upper bound "< x"; a stopped pull is not repeated
                           (default: no limit; for the RLS caller's peer at
                           large scales, where it loses its index range)
  --genre=ID               filter-change: the genre to add (default, per user:
                           the genre outside its filter with the most tunes;
                           the user's filter is restored at the end)

Parallel fetch (parallel):
  -c, --clients=LIST       connection counts to compare, e.g. 1,2,4,8,16
                           (default 1,2,4,8; one thread per connection)
  --rtt-ms=N               simulate a network round trip of N ms per request:
                           the client sleeps N ms before each one (default 0)
  --parts-per-connection=K cut the rows into P x K ranges that the connections
                           take from a shared queue (default 1)
  --via=pull|pages         walk the ranges with sync_pull (text cursors, the
                           default) or the page functions sync_notes_page ...
                           (timestamptz/uuid keys; the session is UTC)
  --together               fetch all tables in one run per P (their bounds
                           requests at once, all ranges in one queue) instead
                           of one table after the other
  -d, --dbname=CONNINFO    given several times: connections go to them
                           round-robin (a primary and its hot standbys);
                           paths: each database is measured in turn

Output:
  -P, --progress=SEC       progress report every SEC seconds on stderr
  --json=FILE              also write the results as JSON to FILE
  --brief                  pull, incremental: print only the headline table
  --out=DIR                depth: directory for the CSV and SVG (default bench/out)
  -?, --help               show this help, then exit
)";
  return commands + std::string(gs::tools::ConnectionOptions::help()) + run_and_output;
}

}  // namespace gs::bench
