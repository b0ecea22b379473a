#include "indexer/cli_options.hpp"

#include <charconv>
#include <string_view>

namespace gs::indexer {
namespace {

bool takes_value(std::string_view flag) {
  return tools::ConnectionOptions::is_connection_flag(flag) || flag == "--lock-timeout" ||
         flag == "--retries" || flag == "--reorganize" || flag == "--batch-rows";
}

int parse_int(const char *flag, const std::string &text, int min, int max) {
  int value = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    throw UsageError(std::string(flag) + " must be an integer from " + std::to_string(min) +
                     " to " + std::to_string(max) + ", got \"" + text + "\"");
  }
  return value;
}

// "note,reference" -> {"note", "reference"}; "all" is every synced table.
std::vector<std::string> parse_tables(const std::string &text) {
  if (text == "all") {
    return {"note", "reference", "tune"};
  }
  std::vector<std::string> tables;
  std::string_view rest = text;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string table(rest.substr(0, comma));
    if (table != "note" && table != "reference" && table != "tune") {
      throw UsageError("--reorganize takes note, reference, tune (comma-separated) or all, got \"" +
                       text + "\"");
    }
    for (const std::string &seen : tables) {
      if (seen == table) {
        throw UsageError("--reorganize names " + table + " twice");
      }
    }
    tables.push_back(table);
    if (comma == std::string_view::npos) {
      return tables;
    }
    rest = rest.substr(comma + 1);
  }
}

}  // namespace

bool is_valid_duration(const std::string &text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  if (digits == 0 || digits > 9 || text.find_first_not_of('0') >= digits) {
    return false;
  }
  const std::string_view unit = std::string_view(text).substr(digits);
  return unit.empty() || unit == "ms" || unit == "s" || unit == "min";
}

CliOptions parse_cli(int argc, const char *const *argv) {
  CliOptions options;
  bool have_conninfo = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string value;
    bool has_value = false;
    if (arg.starts_with("--") && arg.find('=') != std::string_view::npos) {
      value = arg.substr(arg.find('=') + 1);
      arg = arg.substr(0, arg.find('='));
      has_value = true;
      if (!takes_value(arg)) {
        throw UsageError("option " + std::string(arg) + " takes no value");
      }
    }
    if (arg == "--help" || arg == "-?") {
      options.help = true;
      continue;
    }
    if (arg == "--dry-run" || arg == "-n") {
      options.dry_run = true;
      continue;
    }
    if (arg == "--quiet" || arg == "-q") {
      options.quiet = true;
      continue;
    }
    if (takes_value(arg)) {
      if (!has_value) {
        if (i + 1 >= argc) {
          throw UsageError("option " + std::string(arg) + " needs a value");
        }
        value = argv[++i];
      }
      if (arg == "--lock-timeout") {
        if (!is_valid_duration(value)) {
          throw UsageError(
              "--lock-timeout must be a positive duration like 500ms, 5s or 1min, got \"" + value +
              "\"");
        }
        options.lock_timeout = value;
      } else if (arg == "--retries") {
        options.retries = parse_int("--retries", value, 0, 100);
      } else if (arg == "--reorganize") {
        options.reorganize = parse_tables(value);
      } else if (arg == "--batch-rows") {
        options.batch_rows = parse_int("--batch-rows", value, 1, 1000000);
      } else {
        options.connection.accept(arg, value);
      }
      continue;
    }
    if (arg.starts_with("-")) {
      throw UsageError("unknown option " + std::string(arg));
    }
    // Like psql, a bare argument is the database name or a conninfo string.
    if (have_conninfo || !options.connection.dbname.empty()) {
      throw UsageError("unexpected argument \"" + std::string(arg) + "\"");
    }
    options.connection.dbname = arg;
    have_conninfo = true;
  }
  return options;
}

std::string usage_text() {
  return std::string(
             "genre-sync-indexer creates the genre_sync extension's supporting indexes on a live\n"
             "database: each missing one with CREATE INDEX CONCURRENTLY, one at a time, with\n"
             "progress on stderr. Invalid indexes left by a failed concurrent build are dropped\n"
             "and rebuilt. The set comes from the extension's sync_required_indexes().\n\n"
             "With --reorganize it instead rewrites tables in (last_modified_at, id) order\n"
             "online, a batch per transaction, so pages of rows read few heap pages; writers\n"
             "are not blocked, no row's content or last_modified_at changes, and an\n"
             "interrupted run (Ctrl-C stops after the current batch) resumes where it stopped.\n\n"
             "Usage: genre-sync-indexer [OPTION]... [DBNAME | CONNINFO]\n\n"
             "Options:\n"
             "  -n, --dry-run            print the plan, change nothing\n"
             "      --lock-timeout=DUR   lock_timeout for each DDL statement (default 5s);\n"
             "                           a build that times out is retried\n"
             "      --retries=N          attempts after a lock timeout (default 3)\n"
             "      --reorganize=TABLES  rewrite note, reference, tune (comma-separated, or\n"
             "                           all) in key order instead of building indexes;\n"
             "                           needs a superuser or SET on session_replication_role\n"
             "      --batch-rows=N       rows per reorganisation transaction (default 10000)\n"
             "  -q, --quiet              no progress display\n"
             "  -?, --help               show this help\n\n") +
         std::string(tools::ConnectionOptions::help()) +
         "\nExit status:\n"
         "  0  every required index is present and valid (or --dry-run succeeded)\n"
         "  1  could not connect\n"
         "  2  bad usage\n"
         "  3  permission denied (building indexes needs ownership of the tables)\n"
         "  4  an index build or reorganisation failed, or the extension is not installed\n"
         "  5  reorganisation interrupted; run it again to resume\n";
}

}  // namespace gs::indexer
