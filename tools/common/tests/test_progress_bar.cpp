#include "common/progress_bar.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using gs::tools::ProgressBar;

TEST_CASE("quiet always turns the bar off") {
  CHECK(ProgressBar::style_for(2, true) == ProgressBar::Style::off);
}

TEST_CASE("a pipe gets periodic lines, not redraws") {
  CHECK(ProgressBar::style_for(-1, false) == ProgressBar::Style::lines);
}

TEST_CASE("lines style prints each 10% step once and 100% at the end") {
  std::ostringstream out;
  ProgressBar bar(out, ProgressBar::Style::lines);
  bar.start("tune", 200);
  for (std::uint64_t done = 0; done <= 200; ++done) {
    bar.update(done);
  }
  bar.finish();
  const std::string text = out.str();
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  CHECK(lines == 10);  // 10%..90% and the final 100%
  CHECK(text.find("tune                    10% 20/200\n") == 0);
  CHECK(text.find(" 100% 200/200\n") != std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
}

TEST_CASE("redraw style rewrites one line and ends it on finish") {
  std::ostringstream out;
  ProgressBar bar(out, ProgressBar::Style::redraw);
  bar.start("note", 4);
  bar.update(1);
  bar.update(1);  // same percent: no redraw
  bar.update(2);
  bar.finish();
  const std::string text = out.str();
  std::size_t redraws = 0;
  for (char c : text) redraws += c == '\r';
  CHECK(redraws == 4);  // 0%, 25%, 50%, 100%
  CHECK(text.back() == '\n');
  CHECK(text.find("[###############...............]  50% 2/4") != std::string::npos);
  CHECK(text.find("[##############################] 100% 4/4\n") != std::string::npos);
}

TEST_CASE("off style writes nothing and an empty table shows 100%") {
  std::ostringstream silent;
  ProgressBar off(silent, ProgressBar::Style::off);
  off.start("genre", 25);
  off.update(25);
  off.finish();
  CHECK(silent.str().empty());

  std::ostringstream out;
  ProgressBar bar(out, ProgressBar::Style::lines);
  bar.start("instrument", 0);
  bar.finish();
  CHECK(out.str() == "instrument             100% 0/0\n");
}

TEST_CASE("an aborted redraw step gets its line ended when the bar goes away") {
  std::ostringstream out;
  {
    ProgressBar bar(out, ProgressBar::Style::redraw);
    bar.start("tune", 10);
    bar.update(3);
  }
  CHECK(out.str().back() == '\n');
  CHECK(out.str().find(" 30% 3/10\n") != std::string::npos);

  std::ostringstream finished;
  {
    ProgressBar bar(finished, ProgressBar::Style::redraw);
    bar.start("tune", 1);
    bar.finish();
  }
  CHECK(finished.str().find("\n") == finished.str().size() - 1);  // exactly one line end
}
