#include "envelope_reader.hpp"

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
        object([&](const std::string& key) {
            if (key == "has_more") {
                e.has_more = boolean();
                saw_has_more = true;
            } else if (key == "next_cursor") {
                e.next_cursor = string_or_null().value_or("");
            } else if (key == "rows") {
                rows(e.rows);
                saw_rows = true;
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
    [[noreturn]] void fail(const std::string& what) const {
        throw EnvelopeError("sync_pull envelope: " + what + " at offset " + std::to_string(pos_));
    }

    void ws() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
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

    // Calls member(key) with the reader on the member's value.
    template <typename F>
    void object(F&& member) {
        expect('{');
        if (peek() == '}') {
            ++pos_;
            return;
        }
        while (true) {
            const std::string key = string();
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
    void array(F&& element) {
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

    void rows(std::vector<RowKey>& out) {
        array([&] {
            std::optional<std::string> id, ts;
            object([&](const std::string& key) {
                if (key == "id") id = string_or_null();
                else if (key == "last_modified_at") ts = string_or_null();
                else skip_value();
            });
            if (!id || !ts) fail("a row without id or last_modified_at");
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

    std::string string() {
        expect('"');
        std::string out;
        while (true) {
            if (pos_ >= s_.size()) fail("unterminated string");
            const char c = s_[pos_++];
            if (c == '"') return out;
            if (c != '\\') {
                out.push_back(c);
                continue;
            }
            if (pos_ >= s_.size()) fail("unterminated escape");
            const char e = s_[pos_++];
            switch (e) {
                case '"': case '\\': case '/': out.push_back(e); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u':
                    // Keys and cursors are ASCII; other strings are skipped,
                    // so the escape is kept as written rather than decoded.
                    if (pos_ + 4 > s_.size()) fail("short \\u escape");
                    out.append("\\u").append(s_.substr(pos_, 4));
                    pos_ += 4;
                    break;
                default: fail("bad escape");
            }
        }
    }

    void skip_value() {
        const char c = peek();
        if (c == '{') object([&](const std::string&) { skip_value(); });
        else if (c == '[') array([&] { skip_value(); });
        else if (c == '"') string();
        else if (literal("true") || literal("false") || literal("null")) return;
        else skip_number();
    }

    void skip_number() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && std::string_view("+-0123456789.eE").find(s_[pos_]) != std::string_view::npos)
            ++pos_;
        if (pos_ == start) fail("unexpected character");
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

}  // namespace

Envelope read_envelope(std::string_view json) { return Reader(json).envelope(); }

}  // namespace gs::bench
