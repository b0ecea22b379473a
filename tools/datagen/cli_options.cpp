#include "datagen/cli_options.hpp"

#include "datagen/scale.hpp"

#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace gs::datagen {
namespace {

double parse_scale(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    throw UsageError("--scale: '" + std::string(text) + "' is not a number");
  }
  if (!(value >= min_scale && value <= max_scale)) {
    throw UsageError("--scale: " + std::string(text) + " is out of range (0.1 to 10000)");
  }
  return value;
}

std::uint64_t parse_seed(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    throw UsageError("--seed: '" + std::string(text) + "' is not an unsigned 64-bit integer");
  }
  return value;
}

PhysicalOrder parse_order(std::string_view text) {
  if (const auto order = parse_physical_order(text)) {
    return *order;
  }
  throw UsageError("--physical-order: '" + std::string(text) +
                   "' is neither 'time' nor 'shuffled'");
}

}  // namespace

CliOptions parse_cli(int argc, const char *const *argv) {
  CliOptions options;
  std::optional<std::string> positional;
  bool scale_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-?") {
      options.help = true;
      return options;
    }
    if (arg == "--create-schema") {
      options.create_schema = true;
      continue;
    }
    if (arg == "--quiet" || arg == "-q") {
      options.quiet = true;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      std::string_view flag = arg;
      std::optional<std::string_view> value;
      if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
        flag = arg.substr(0, eq);
        value = arg.substr(eq + 1);
      }
      const bool known = flag == "--scale" || flag == "-s" || flag == "--seed" ||
                         flag == "--physical-order" ||
                         tools::ConnectionOptions::is_connection_flag(flag);
      if (!known) {
        throw UsageError("unknown option '" + std::string(arg) + "'");
      }
      if (!value) {
        if (i + 1 >= argc) {
          throw UsageError("option '" + std::string(flag) + "' needs a value");
        }
        value = argv[++i];
      }
      if (flag == "--scale" || flag == "-s") {
        options.scale = parse_scale(*value);
        options.scale_text = *value;
        scale_given = true;
      } else if (flag == "--seed") {
        options.seed = parse_seed(*value);
      } else if (flag == "--physical-order") {
        options.physical_order = parse_order(*value);
      } else {
        options.connection.accept(flag, *value);
      }
      continue;
    }
    if (positional) {
      throw UsageError("unexpected argument '" + std::string(arg) + "'");
    }
    positional = std::string(arg);
  }
  if (positional) {
    if (!options.connection.dbname.empty()) {
      throw UsageError("give the database either with -d or as an argument, not both");
    }
    options.connection.dbname = *positional;
  }
  if (!scale_given) {
    throw UsageError("--scale is required");
  }
  return options;
}

std::string usage_text() {
  std::string text =
      "genre-sync-datagen fills an empty genre_sync app schema with a deterministic\n"
      "dataset (see docs/dataset.md), loading it with COPY.\n"
      "\n"
      "Usage:\n"
      "  genre-sync-datagen [OPTION]... --scale SF [DBNAME | CONNINFO]\n"
      "\n"
      "Dataset options:\n"
      "  -s, --scale=SF           scale factor, 0.1 to 10000 (1 = 3,006 tunes, 20 users)\n"
      "      --seed=N             random seed (default 1); same seed and scale, same bytes\n"
      "      --physical-order=ORDER\n"
      "                           shuffled (default): rows on disk in no time order\n"
      "                           (as after years of updates); time: in\n"
      "                           last_modified_at order; same rows either way\n"
      "      --create-schema      create the app tables first (tools/app_schema.sql);\n"
      "                           without it the tables must exist and be empty\n"
      "\n"
      "Output options:\n"
      "  -q, --quiet              no progress bar\n"
      "  -?, --help               show this help and exit\n"
      "\n";
  text += tools::ConnectionOptions::help();
  text +=
      "\n"
      "Everything loads in one transaction. Foreign keys are checked per row, or,\n"
      "for a superuser and tables without triggers of their own, in bulk before COMMIT.\n"
      "\n"
      "Exit status: 0 ok, 1 connection failure, 2 bad usage or non-empty tables,\n"
      "3 load failure (nothing is committed).\n";
  return text;
}

}  // namespace gs::datagen
