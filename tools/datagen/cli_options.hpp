#pragma once

#include "common/connection_options.hpp"
#include "datagen/physical_order.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace gs::datagen {

struct CliOptions {
  tools::ConnectionOptions connection;
  double scale = 0;
  std::string scale_text;  // as given, for the summary
  std::uint64_t seed = 1;
  PhysicalOrder physical_order = PhysicalOrder::shuffled;
  bool create_schema = false;
  bool quiet = false;
  bool help = false;
};

// Bad command line: the message says what is wrong; exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses argv[1..]. Flags take their value as the next argument or after
// '=' (long forms); one positional argument is the dbname or conninfo.
// Throws UsageError; --scale is required unless --help is given.
CliOptions parse_cli(int argc, const char *const *argv);

std::string usage_text();

}  // namespace gs::datagen
