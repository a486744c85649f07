#include "tools/baikalctl/transfer_progress.hpp"

#include <cstdio>
#include <iostream>

#include <unistd.h>

#include "tools/baikalctl/pull_progress.hpp"

namespace baikal::ctl {

std::string format_duration(double seconds) {
  auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%llds", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, s % 3600 / 60);
  return buf;
}

std::string transfer_line(const std::string& label, uint64_t done, uint64_t total, double seconds,
                          int bar_width) {
  auto out = label + " " + progress_bar(done, total, bar_width) + " " +
             format_bytes(static_cast<double>(done));
  if (total > 0) {
    out += " / " + format_bytes(static_cast<double>(total));
    out += " " + std::to_string(std::min<uint64_t>(done, total) * 100 / total) + "%";
  }
  if (seconds > 0 && done > 0) {
    double rate = static_cast<double>(done) / seconds;
    out += " " + format_bytes(rate) + "/s";
    if (total > done)
      out += " ETA " + format_duration(static_cast<double>(total - done) / rate);
  }
  return out;
}

transfer_display::transfer_display(std::string label, bool quiet)
    : label_(std::move(label)), tty_(!quiet && ::isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()) {}

transfer_display::~transfer_display() {
  finish();
}

void transfer_display::update(uint64_t done, uint64_t total) {
  if (!tty_)
    return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds{100} && done < total)
    return;
  last_draw_ = now;
  drawn_ = true;
  double seconds = std::chrono::duration<double>(now - start_).count();
  std::cerr << "\r\033[K" << transfer_line(label_, done, total, seconds) << std::flush;
}

void transfer_display::finish() {
  if (drawn_)
    std::cerr << "\r\033[K" << std::flush;
  drawn_ = false;
}

} // namespace baikal::ctl
