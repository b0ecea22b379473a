#include "common/progress_bar.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace gs::tools {
namespace {

constexpr unsigned bar_width = 30;
constexpr std::size_t label_width = 22;

}  // namespace

ProgressBar::Style ProgressBar::style_for(int fd, bool quiet) {
  if (quiet) {
    return Style::off;
  }
  return isatty(fd) ? Style::redraw : Style::lines;
}

ProgressBar::~ProgressBar() {
  if (line_open_) {
    out_ << '\n';
    out_.flush();
  }
}

void ProgressBar::start(std::string label, std::uint64_t total) {
  label_ = std::move(label);
  total_ = total;
  shown_percent_ = 0;
  if (style_ == Style::redraw) {
    draw(0);
  }
}

unsigned ProgressBar::percent_of(std::uint64_t done) const {
  if (total_ == 0) {
    return 100;
  }
  return static_cast<unsigned>(std::min<std::uint64_t>(done, total_) * 100 / total_);
}

void ProgressBar::update(std::uint64_t done) {
  const unsigned percent = percent_of(done);
  if (style_ == Style::redraw && percent != shown_percent_) {
    draw(done);
  } else if (style_ == Style::lines && percent / 10 != shown_percent_ / 10 && percent < 100) {
    draw(done);
  }
}

void ProgressBar::finish() {
  if (style_ != Style::off) {
    draw(total_);
    if (style_ == Style::redraw) {
      out_ << '\n';
      line_open_ = false;
    }
    out_.flush();
  }
}

void ProgressBar::draw(std::uint64_t done) {
  done = std::min(done, total_);
  const unsigned percent = percent_of(done);
  shown_percent_ = percent;
  std::string label = label_;
  label.resize(std::max(label.size(), label_width), ' ');
  char counts[64];
  std::snprintf(counts, sizeof counts, "%3u%% %llu/%llu", percent,
                static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_));
  if (style_ == Style::redraw) {
    const unsigned filled = percent * bar_width / 100;
    out_ << '\r' << label << " [" << std::string(filled, '#')
         << std::string(bar_width - filled, '.') << "] " << counts;
    out_.flush();
    line_open_ = true;
  } else {
    out_ << label << ' ' << counts << '\n';
  }
}

}  // namespace gs::tools
