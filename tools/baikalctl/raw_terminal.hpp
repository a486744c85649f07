#pragma once

/// The local terminal in raw mode for as long as this object lives: keys reach the remote
/// shell one by one and unechoed (Ctrl-C included, as bytes), and the terminal's settings come
/// back on every way out, an error or a signal that ends baikalctl included.

#include <optional>
#include <utility>

#include <termios.h>

namespace baikal::ctl {

class raw_terminal {
public:
  /// Does nothing when `fd` is not a terminal.
  explicit raw_terminal(int fd);
  ~raw_terminal();
  raw_terminal(const raw_terminal&) = delete;
  raw_terminal& operator=(const raw_terminal&) = delete;

  bool active() const { return saved_.has_value(); }

private:
  int fd_;
  std::optional<termios> saved_;
};

/// The size of the terminal on `fd` (rows, cols); nothing when it is not a terminal.
std::optional<std::pair<int, int>> terminal_size_of(int fd);

} // namespace baikal::ctl
