#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace gs::tools {

// A per-step progress display for long loads, written to stderr by the
// tools. On a terminal it redraws one line with \r; elsewhere (CI logs,
// pipes) it prints a line at every 10% so logs stay short but show life.
class ProgressBar {
 public:
  enum class Style { off, redraw, lines };

  // `off` when quiet, else `redraw` if `fd` is a terminal, else `lines`.
  static Style style_for(int fd, bool quiet);

  ProgressBar(std::ostream &out, Style style) : out_(out), style_(style) {}
  // Ends a line left open by an aborted step, so an error printed next
  // starts on a line of its own.
  ~ProgressBar();
  ProgressBar(const ProgressBar &) = delete;
  ProgressBar &operator=(const ProgressBar &) = delete;

  void start(std::string label, std::uint64_t total);
  // Cheap to call per row: it writes only when the shown percent changes.
  void update(std::uint64_t done);
  // Shows 100% and ends the line.
  void finish();

 private:
  void draw(std::uint64_t done);
  unsigned percent_of(std::uint64_t done) const;

  std::ostream &out_;
  Style style_;
  std::string label_;
  std::uint64_t total_ = 0;
  unsigned shown_percent_ = 0;
  bool line_open_ = false;
};

}  // namespace gs::tools
