#include "json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace gs::bench {

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

void JsonWriter::newline() {
  out_ += '\n';
  out_.append(2 * stack_.size(), ' ');
}

void JsonWriter::before_value() {
  if (stack_.empty()) {
    if (!out_.empty()) throw std::logic_error("json: a document holds one top-level value");
    return;
  }
  Level &top = stack_.back();
  if (top.is_object) {
    if (!top.key_pending) throw std::logic_error("json: object member without a key");
    top.key_pending = false;
    return;
  }
  if (!top.empty) out_ += ',';
  top.empty = false;
  newline();
}

JsonWriter &JsonWriter::key(std::string_view name) {
  if (stack_.empty() || !stack_.back().is_object)
    throw std::logic_error("json: key outside an object");
  Level &top = stack_.back();
  if (top.key_pending) throw std::logic_error("json: two keys in a row");
  if (!top.empty) out_ += ',';
  top.empty = false;
  top.key_pending = true;
  newline();
  out_ += json_quote(name);
  out_ += ": ";
  return *this;
}

JsonWriter &JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  stack_.push_back({true});
  return *this;
}

JsonWriter &JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  stack_.push_back({false});
  return *this;
}

JsonWriter &JsonWriter::end_object() {
  if (stack_.empty() || !stack_.back().is_object || stack_.back().key_pending)
    throw std::logic_error("json: end_object without a matching begin_object");
  const bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) newline();
  out_ += '}';
  return *this;
}

JsonWriter &JsonWriter::end_array() {
  if (stack_.empty() || stack_.back().is_object)
    throw std::logic_error("json: end_array without a matching begin_array");
  const bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) newline();
  out_ += ']';
  return *this;
}

JsonWriter &JsonWriter::string(std::string_view v) {
  before_value();
  out_ += json_quote(v);
  return *this;
}

JsonWriter &JsonWriter::number(double v) {
  if (!std::isfinite(v)) return null();
  before_value();
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, res.ptr);
  return *this;
}

JsonWriter &JsonWriter::integer(long long v) {
  before_value();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter &JsonWriter::boolean(bool v) {
  before_value();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter &JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

const std::string &JsonWriter::str() const {
  if (!stack_.empty()) throw std::logic_error("json: document still has an open object or array");
  return out_;
}

}  // namespace gs::bench
