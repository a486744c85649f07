#pragma once

/// The progress of a file transfer (`baikalctl cp`), drawn on stderr as one redrawn line when
/// stderr is a terminal: bytes so far and in all, a bar, the rate and the time left.

#include <chrono>
#include <cstdint>
#include <string>

namespace baikal::ctl {

/// "blob.bin [#####...............] 12.0 MiB / 48.0 MiB 25% 4.0 MiB/s ETA 9s", leaving out
/// what is unknown (the total, or the rate before any time has passed).
std::string transfer_line(const std::string& label, uint64_t done, uint64_t total, double seconds,
                          int bar_width = 20);

/// "9s", "2m05s", "1h02m".
std::string format_duration(double seconds);

/// Draws a transfer's progress; draws nothing when `quiet` or stderr is no terminal.
class transfer_display {
public:
  transfer_display(std::string label, bool quiet);
  ~transfer_display();
  transfer_display(const transfer_display&) = delete;
  transfer_display& operator=(const transfer_display&) = delete;

  bool active() const { return tty_; }

  /// Redraws the line, at most ten times a second (and always once everything is moved).
  void update(uint64_t done, uint64_t total);

  /// Clears the line.
  void finish();

private:
  std::string label_;
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

} // namespace baikal::ctl
