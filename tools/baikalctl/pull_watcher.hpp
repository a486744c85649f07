#pragma once

/// Follows the manager's event stream (`GET /v1/events`) on a thread of its own and keeps the
/// image pull progress it reports, for the wait loops to draw while a session is PULLING. Every
/// other event (a session or kernel changed) wakes the wait loops, so that they read a new
/// status when it comes instead of at their next poll.
///
/// The stream has no deadline and the blocking client cannot be interrupted, so the thread is
/// detached: it ends when the stream does, at the next event after stop(), or with the
/// process. It only touches state it shares with the watcher through a shared_ptr.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tools/baikalctl/ctl_client.hpp"
#include "tools/baikalctl/pull_progress.hpp"

namespace baikal::ctl {

class pull_watcher {
public:
  explicit pull_watcher(const ctl_client& api);
  ~pull_watcher();
  pull_watcher(const pull_watcher&) = delete;
  pull_watcher& operator=(const pull_watcher&) = delete;

  /// Waits up to `limit` for the manager to confirm the subscription, so that a session
  /// created afterwards has no pull event missed; answers whether it did.
  bool wait_subscribed(std::chrono::milliseconds limit) const;

  /// Waits up to `limit` for an event other than pull progress after the `seen`-th; answers
  /// how many such events there have been (pass it back as `seen`).
  uint64_t wait_news(uint64_t seen, std::chrono::milliseconds limit) const;

  /// The pull jobs of `images` seen so far.
  std::vector<pull_view> pulling(const std::vector<std::string>& images) const;

  /// Stops following: the thread ends at its next event.
  void stop();

  /// What the watcher and its thread share (defined in the .cpp).
  struct shared;

private:
  std::shared_ptr<shared> state_;
};

} // namespace baikal::ctl
