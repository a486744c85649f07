#pragma once

/// How many chunks of a streamed transfer are on their way at once, and what to do next: the
/// upload and download actors (upload_stream.hpp, download_stream.hpp) ask it after every event,
/// so the bytes either of them holds stay below `window` chunks whatever the speeds of the
/// client and the disk.

#include <cstdint>

namespace baikal {

/// One direction of a transfer in chunks: `in_flight` counts chunks asked for and not done.
class transfer_window {
public:
  explicit transfer_window(uint32_t window) : window_(window == 0 ? 1 : window) {}

  /// Whether another chunk may start (the source is not at its end and the window has room).
  bool may_start() const noexcept { return !source_ended_ && !starting_ && in_flight_ < window_; }

  /// A chunk is being fetched from the source (a body piece being read).
  void starting() noexcept { starting_ = true; }
  /// The fetched chunk is on its way (`ended`: it was the source's last).
  void started(bool ended) noexcept {
    starting_ = false;
    source_ended_ = source_ended_ || ended;
    ++in_flight_;
  }
  /// The fetch brought nothing (the source ended without more bytes).
  void source_ended() noexcept {
    starting_ = false;
    source_ended_ = true;
  }
  /// A chunk arrived where it goes.
  void done() noexcept {
    if (in_flight_ > 0)
      --in_flight_;
  }

  /// The source ended and every chunk arrived.
  bool complete() const noexcept { return source_ended_ && !starting_ && in_flight_ == 0; }

  uint32_t in_flight() const noexcept { return in_flight_; }

private:
  uint32_t window_;
  uint32_t in_flight_ = 0;
  bool starting_ = false;
  bool source_ended_ = false;
};

} // namespace baikal
