#include "datagen/copy_text.hpp"

#include <catch2/catch.hpp>

using namespace gs::datagen;

namespace {
std::string escaped(std::string_view value) {
  std::string out;
  append_copy_escaped(out, value);
  return out;
}
}  // namespace

TEST_CASE("COPY text escaping covers the delimiter, row end and backslash") {
  CHECK(escaped("") == "");
  CHECK(escaped("plain text, with 'quotes' and \"more\"") ==
        "plain text, with 'quotes' and \"more\"");
  CHECK(escaped("a\tb") == "a\\tb");
  CHECK(escaped("line1\nline2") == "line1\\nline2");
  CHECK(escaped("crlf\r\n") == "crlf\\r\\n");
  CHECK(escaped("C:\\tunes\\n") == "C:\\\\tunes\\\\n");
  CHECK(escaped("\\.") == "\\\\.");  // would otherwise read as end-of-data
  CHECK(escaped("\\N") == "\\\\N");  // would otherwise read as NULL
  CHECK(escaped("Québécois \u2014 ok") == "Québécois \u2014 ok");
}

TEST_CASE("CopyRow writes tab-separated fields, \\N for NULL, and ends rows") {
  std::string out;
  CopyRow row(out);
  row.uuid(Uuid{0x0123456789abcdefULL, 0xfedcba9876543210ULL})
      .text("two\twords")
      .null()
      .integer(-42)
      .boolean(true)
      .boolean(false)
      .timestamp(history_start + 1);
  row.end();
  row.integer(7).null();
  row.end();
  CHECK(out ==
        "01234567-89ab-cdef-fedc-ba9876543210\ttwo\\twords\t\\N\t-42\tt\tf\t2024-01-01 "
        "00:00:00.000001\n"
        "7\t\\N\n");
}
