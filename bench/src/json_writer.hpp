#pragma once
// A small streaming JSON writer for --json results: nesting and commas are
// tracked here so the report code only says what it writes.
#include <string>
#include <string_view>
#include <vector>

namespace gs::bench {

// The JSON string literal for s, quotes included (RFC 8259 escaping; bytes
// >= 0x80 pass through, so UTF-8 stays UTF-8).
std::string json_quote(std::string_view s);

class JsonWriter {
 public:
  JsonWriter &begin_object();
  JsonWriter &end_object();
  JsonWriter &begin_array();
  JsonWriter &end_array();
  JsonWriter &key(std::string_view name);
  JsonWriter &string(std::string_view v);
  // Non-finite numbers (NaN: statistics of nothing) are written as null.
  JsonWriter &number(double v);
  JsonWriter &integer(long long v);
  JsonWriter &boolean(bool v);
  JsonWriter &null();

  // The document; throws std::logic_error if an object or array is still open.
  const std::string &str() const;

 private:
  struct Level {
    bool is_object;
    bool empty = true;
    bool key_pending = false;
  };
  void before_value();
  void newline();

  std::string out_;
  std::vector<Level> stack_;
};

}  // namespace gs::bench
