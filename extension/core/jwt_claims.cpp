#include "core/jwt_claims.hpp"

#include <cstdint>

#include "core/error.hpp"

namespace gs {

namespace {

class ClaimsReader {
 public:
  explicit ClaimsReader(std::string_view text) : text_(text) {}

  JwtClaims read() {
    skip_space();
    if (peek() != '{') fail("a JSON object");
    JwtClaims claims;
    read_object(1, &claims);
    skip_space();
    if (pos_ != text_.size()) fail("the end of the claims");
    return claims;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;

  [[noreturn]] void fail(const char *expected) const {
    throw Error(sqlstate::invalid_authorization_specification,
                "request.jwt.claims is not a valid JSON object",
                "Expected " + std::string(expected) + " at byte " + std::to_string(pos_) + ".",
                "The setting holds the verified claims of the request's JWT, as PostgREST "
                "sets them.");
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
      ++pos_;
  }

  void expect(char c, const char *what) {
    if (at_end() || peek() != c) fail(what);
    ++pos_;
  }

  // claims is set for the top-level object only: nested "sub" keys are data.
  void read_object(int depth, JwtClaims *claims) {
    if (depth > max_claims_depth) fail("less nesting");
    expect('{', "'{'");
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return;
    }
    for (;;) {
      skip_space();
      if (peek() != '"') fail("a member name");
      const std::string key = read_string();
      skip_space();
      expect(':', "':'");
      skip_space();
      if (claims != nullptr && (key == "sub" || key == "role"))
        read_claim(key == "sub" ? claims->sub : claims->role, key);
      else
        read_value(depth);
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}', "',' or '}'");
      return;
    }
  }

  void read_claim(std::optional<std::string> &slot, const std::string &key) {
    if (slot) fail(("a single \"" + key + "\" member").c_str());
    if (peek() != '"') fail(("a string for \"" + key + "\"").c_str());
    slot = read_string();
  }

  void read_array(int depth) {
    if (depth > max_claims_depth) fail("less nesting");
    expect('[', "'['");
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return;
    }
    for (;;) {
      skip_space();
      read_value(depth);
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']', "',' or ']'");
      return;
    }
  }

  void read_value(int depth) {
    switch (peek()) {
      case '{': read_object(depth + 1, nullptr); return;
      case '[': read_array(depth + 1); return;
      case '"': read_string(); return;
      case 't': read_literal("true"); return;
      case 'f': read_literal("false"); return;
      case 'n': read_literal("null"); return;
      default: read_number(); return;
    }
  }

  void read_literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) fail("a JSON value");
    pos_ += word.size();
  }

  bool digit() const { return peek() >= '0' && peek() <= '9'; }

  void read_digits() {
    if (!digit()) fail("a digit");
    while (digit()) ++pos_;
  }

  void read_number() {
    if (peek() == '-') ++pos_;
    if (peek() == '0')
      ++pos_;
    else
      read_digits();
    if (peek() == '.') {
      ++pos_;
      read_digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      read_digits();
    }
  }

  std::uint32_t read_hex4() {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = peek();
      std::uint32_t nibble;
      if (c >= '0' && c <= '9')
        nibble = c - '0';
      else if (c >= 'a' && c <= 'f')
        nibble = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        nibble = c - 'A' + 10;
      else
        fail("four hex digits");
      value = value << 4 | nibble;
      ++pos_;
    }
    return value;
  }

  std::uint32_t read_code_point() {
    std::uint32_t cp = read_hex4();
    if (cp >= 0xDC00 && cp <= 0xDFFF) fail("a high surrogate before a low one");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") fail("a low surrogate");
      pos_ += 2;
      const std::uint32_t low = read_hex4();
      if (low < 0xDC00 || low > 0xDFFF) fail("a low surrogate");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    // PostgreSQL text cannot hold NUL; a claim that needs one is no claim.
    if (cp == 0) fail("no \\u0000");
    return cp;
  }

  static void append_utf8(std::string &out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | cp >> 6);
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | cp >> 12);
      out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | cp >> 18);
      out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
      out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string read_string() {
    expect('"', "'\"'");
    std::string out;
    for (;;) {
      if (at_end()) fail("a closing '\"'");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail("no control character in a string");
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      ++pos_;
      const char escape = peek();
      ++pos_;
      switch (escape) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': append_utf8(out, read_code_point()); break;
        default: --pos_; fail("a valid escape");
      }
    }
  }
};

}  // namespace

JwtClaims parse_jwt_claims(std::string_view json) { return ClaimsReader(json).read(); }

}  // namespace gs
