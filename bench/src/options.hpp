#pragma once
// The command line of genre-sync-bench, parsed without touching a database
// so that every accepted and rejected form is unit-tested.
#include "common/connection_options.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gs::bench {

enum class Command { explain, pull, depth, incremental, parallel, filter_change, paths };
enum class Table { notes, references, tunes };
enum class UserKind { two_genre, all_genre };
// The ways of pulling rows that pull/incremental compare (see methods.hpp).
enum class Method {
  seed_offset,
  peer_keyset,
  ours_keyset,
  ours_offset,
  copy_floor,
  ours_page_json,  // json_agg of our keyset pages' rows, as a gateway turns SETOF rows into JSON
  ours_envelope,   // sync_pull's envelopes (full pulls only)
};
// The ways a caller reaches the rows that `paths` compares: the default path
// (no key index), the key index on, and a role under row-level security.
enum class Path { default_path, key_index, rls };

const char *command_name(Command c);
const char *table_name(Table t);
// The table's name in SQL, as sync_pull's p_table takes it.
const char *sync_table_name(Table t);
const char *user_kind_name(UserKind u);
// As --paths spells it: default, key, rls.
const char *path_option_name(Path p);

struct Options {
  Command command = Command::pull;
  gs::tools::ConnectionOptions connection;

  int reps = 3;
  int warmup = 1;  // untimed rounds before the measured ones
  int page_size = 1000;
  std::vector<Table> tables;                         // empty: the command's default
  std::vector<UserKind> users;                       // empty: the command's default
  std::vector<Method> methods;                       // pull, incremental; empty: all of them
  std::string two_genre_user_id, all_genre_user_id;  // empty: found in the data
  std::optional<int> scale;                          // label only; inferred from the data if absent
  int points = 20;                                   // depth: pages sampled across the result
  int delta = 100;                                   // incremental: rows in the small delta
  std::string genre;  // filter-change: the genre to add; empty: chosen per user
  std::vector<Path> paths = {Path::default_path, Path::key_index, Path::rls};  // paths
  int calls = 20;  // paths: timed repetitions of each single call (per-call cost)
  // paths: the longest a DBA keyset pull may take; past it the pull is
  // stopped (statement_timeout) and reported as a lower bound.
  std::optional<double> peer_limit_seconds;

  // parallel
  std::vector<int> clients = {1, 2, 4, 8};  // -c: connection counts to compare
  int rtt_ms = 0;                           // simulated round trip per request
  int parts_per_connection = 1;             // ranges = connections x this
  std::vector<std::string> dbnames;         // every -d, in order: hosts for round-robin
  bool together = false;                    // all tables' ranges in one run per P
  bool via_pages = false;                   // walk ranges with sync_*_page, not sync_pull

  double progress_seconds = 0;  // -P: 0 = no progress reports
  std::string json_path;
  bool brief = false;  // only the headline table after the header
  std::string out_dir = "bench/out";
  bool help = false;
};

// A command line that does not parse; main prints it with a hint to --help.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses argv[1..]; options may come before or after the command.
Options parse_options(const std::vector<std::string> &args);

std::string usage_text();

// The tables/users a command runs when none were chosen.
std::vector<Table> tables_for(const Options &o);
std::vector<UserKind> users_for(const Options &o);

}  // namespace gs::bench
