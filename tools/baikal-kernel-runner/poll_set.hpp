#pragma once

/// The set of descriptors one poll() call watches, each with the code that handles it.

#include <poll.h>

#include <functional>
#include <vector>

namespace baikal::kernel_runner {

/// Rebuilt before every poll(): owners of descriptors register what they wait for, and the loop
/// calls back the handler of each descriptor that is ready. Handlers look their owner up by id
/// rather than capturing pointers, because an earlier handler may have removed it.
struct poll_set {
  std::vector<pollfd> fds;
  std::vector<std::function<void(short)>> handlers;

  void add(int fd, short events, std::function<void(short)> handler) {
    fds.push_back(pollfd{fd, events, 0});
    handlers.push_back(std::move(handler));
  }
  void clear() {
    fds.clear();
    handlers.clear();
  }
};

} // namespace baikal::kernel_runner
