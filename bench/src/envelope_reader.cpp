#include "envelope_reader.hpp"

#include <cctype>
#include <optional>

namespace gs::bench {

namespace {

// A recursive-descent reader over RFC 8259 JSON that keeps only the members
// asked for and skips every other value, however nested.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  Envelope envelope() {
    Envelope e;
    bool saw_has_more = false, saw_rows = false;
    object([&](std::string_view key) {
      if (key == "has_more") {
        e.has_more = boolean();
        saw_has_more = true;
      } else if (key == "next_cursor") {
        e.next_cursor = string_or_null().value_or("");
      } else if (key == "rows") {
        rows(e.rows, e.deleted_ids);
        saw_rows = true;
      } else if (key == "removed") {
        array([&] {
          auto id = string_or_null();
          if (!id) fail("a null in removed");
          e.removed.push_back(std::move(*id));
        });
      } else if (key == "catch_up") {
        e.catch_up = boolean();
      } else if (key == "horizon_cursor") {
        e.horizon_cursor = string_or_null().value_or("");
      } else {
        skip_value();
      }
    });
    ws();
    if (pos_ != s_.size()) fail("trailing characters");
    if (!saw_has_more) fail("no has_more");
    if (!saw_rows) fail("no rows");
    return e;
  }

 private:
  [[noreturn]] void fail(const std::string &what) const {
    throw EnvelopeError("sync_pull envelope: " + what + " at offset " + std::to_string(pos_));
  }

  void ws() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
      ++pos_;
  }
  char peek() {
    ws();
    if (pos_ >= s_.size()) fail("unexpected end");
    return s_[pos_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  bool literal(std::string_view word) {
    ws();
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // Calls member(key) with the reader on the member's value. Keys are
  // compared as written: the envelope's have nothing to escape.
  template <typename F>
  void object(F &&member) {
    expect('{');
    if (peek() == '}') {
      ++pos_;
      return;
    }
    while (true) {
      const std::string_view key = raw_string();
      expect(':');
      member(key);
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      return;
    }
  }

  template <typename F>
  void array(F &&element) {
    expect('[');
    if (peek() == ']') {
      ++pos_;
      return;
    }
    while (true) {
      element();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']');
      return;
    }
  }

  void rows(std::vector<RowKey> &out, std::vector<std::string> &deleted_ids) {
    array([&] {
      std::optional<std::string> id, ts;
      bool deleted = false;
      object([&](std::string_view key) {
        if (key == "id")
          id = string_or_null();
        else if (key == "last_modified_at")
          ts = string_or_null();
        else if (key == "deleted")
          deleted = literal("true") || (skip_value(), false);
        else
          skip_value();
      });
      if (!id || !ts) fail("a row without id or last_modified_at");
      if (deleted) deleted_ids.push_back(*id);
      out.push_back({std::move(*id), std::move(*ts)});
    });
  }

  bool boolean() {
    if (literal("true")) return true;
    if (literal("false")) return false;
    fail("expected true or false");
  }

  std::optional<std::string> string_or_null() {
    if (literal("null")) return std::nullopt;
    return string();
  }

  // The string's characters as written, its escapes checked but not
  // decoded: most strings are only skipped, and a page holds thousands.
  std::string_view raw_string() {
    expect('"');
    const std::size_t start = pos_;
    while (true) {
      while (pos_ < s_.size() && s_[pos_] != '"' && s_[pos_] != '\\') ++pos_;
      if (pos_ >= s_.size()) fail("unterminated string");
      if (s_[pos_++] == '"') return s_.substr(start, pos_ - 1 - start);
      if (pos_ >= s_.size()) fail("unterminated escape");
      const char e = s_[pos_++];
      if (e == 'u') {
        for (int digit = 0; digit < 4; ++digit, ++pos_)
          if (pos_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[pos_])))
            fail("bad \\u escape");
      } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        fail("bad escape");
      }
    }
  }

  std::string string() {
    const std::string_view raw = raw_string();
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\') {
        out.push_back(raw[i]);
        continue;
      }
      const char e = raw[++i];
      switch (e) {
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u':
          // Keys and cursors are ASCII; other strings are skipped,
          // so the escape is kept as written rather than decoded.
          out.append(raw.substr(i - 1, 6));
          i += 4;
          break;
        default: out.push_back(e);  // " \ /
      }
    }
    return out;
  }

  void skip_value() {
    const char c = peek();
    if (c == '{')
      object([&](std::string_view) { skip_value(); });
    else if (c == '[')
      array([&] { skip_value(); });
    else if (c == '"')
      raw_string();
    else if (literal("true") || literal("false") || literal("null"))
      return;
    else
      skip_number();
  }

  void skip_number() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() &&
           std::string_view("+-0123456789.eE").find(s_[pos_]) != std::string_view::npos)
      ++pos_;
    if (pos_ == start) fail("unexpected character");
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

Envelope read_envelope(std::string_view json) { return Reader(json).envelope(); }

}  // namespace gs::bench
