#pragma once
// What every command needs to know about the database before it measures:
// the named users and their genres, the scale, the indexes present.
#include <string>
#include <vector>

#include "common/pg_connection.hpp"
#include "json_writer.hpp"
#include "options.hpp"
#include "page_fetch.hpp"

namespace gs::bench {

// Rows per tune table at scale 1 (docs/dataset.md): the scale is inferred from it.
inline constexpr double kTunesAtScaleOne = 3006;

struct BenchContext {
  int scale = 0;
  bool scale_inferred = false;
  long long tunes = 0;
  std::string timezone;
  std::vector<std::string> indexes;  // "table: index, index" per table
  bool key_index = false;            // sync_enable_key_index() ran: its nine triggers fire
  std::vector<BenchUser> users;      // in the order of users_for(options)
};

// Opens a connection for measuring; the session TimeZone is pinned to UTC so
// cursors read back as text compare exactly as the stored timestamps.
tools::PgConnection open_bench_connection(const Options &o);

BenchContext load_context(tools::PgConnection &conn, const Options &o);

// The lines "what ran" that open every command's summary.
void print_context_header(const Options &o, const BenchContext &ctx);

// The same, as members of the open top-level JSON object.
void write_context_json(JsonWriter &json, const Options &o, const BenchContext &ctx);

// Writes content to path (the --json file, the depth CSV and SVG); throws
// std::runtime_error naming the path when that fails.
void write_file(const std::string &path, const std::string &content);

}  // namespace gs::bench
