#pragma once

#include "common/connection_options.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace gs::indexer {

struct CliOptions {
  tools::ConnectionOptions connection;
  bool dry_run = false;
  bool quiet = false;
  bool help = false;
  // A PostgreSQL duration for SET lock_timeout, already validated.
  std::string lock_timeout = "5s";
  // Extra attempts after a build fails on the lock timeout.
  int retries = 3;
  // --reorganize: the tables to rewrite in key order instead of building
  // indexes (note, reference, tune; in the order given, no repeats).
  std::vector<std::string> reorganize;
  // Rows per reorganisation step (one transaction each).
  int batch_rows = 10000;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws UsageError with a message naming the bad argument.
CliOptions parse_cli(int argc, const char *const *argv);

// Accepts what SET lock_timeout accepts that makes sense here: a positive
// integer with an optional ms, s or min unit (no unit means ms).
bool is_valid_duration(const std::string &text);

std::string usage_text();

}  // namespace gs::indexer
