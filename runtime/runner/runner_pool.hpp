#pragma once

/// Kept connections to one kernel's runner, shared by the blocking executor's threads.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "runtime/runner/runner_client.hpp"

namespace baikal::runner {

/// A call takes an idle client (or makes one) and gives it back when it is done, so an execute
/// pays neither a connect nor the walk to a deep socket path. Calls running at once each hold
/// their own client: the runner answers one request per connection at a time. A client whose
/// call failed has already dropped its connection (runner_client) and is not kept.
class runner_pool {
public:
  /// `max_idle`: connections kept once a burst of calls is over. An agent's open files grow
  /// with it times its kernels; two cover a terminal's poll beside a keystroke or an execute.
  explicit runner_pool(std::string socket_path, size_t max_idle = 2)
      : path_(std::move(socket_path)), max_idle_(max_idle) {}

  runner_pool(const runner_pool&) = delete;
  runner_pool& operator=(const runner_pool&) = delete;

  /// Runs `fn(client)` with a client of this pool and returns what it returns.
  template <class Fn> auto with_client(Fn&& fn) {
    lease held{*this, take()};
    return fn(*held.client);
  }

  /// How many clients the pool has made: calls in a row share one.
  uint64_t clients_made() const;
  size_t idle() const;

private:
  struct lease {
    runner_pool& pool;
    std::unique_ptr<runner_client> client;
    ~lease() { pool.give_back(std::move(client)); }
  };

  std::unique_ptr<runner_client> take();
  void give_back(std::unique_ptr<runner_client> client);

  std::string path_;
  size_t max_idle_;
  mutable std::mutex mtx_;
  std::vector<std::unique_ptr<runner_client>> idle_;
  uint64_t made_ = 0;
};

} // namespace baikal::runner
