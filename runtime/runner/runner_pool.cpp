#include "runtime/runner/runner_pool.hpp"

namespace baikal::runner {

std::unique_ptr<runner_client> runner_pool::take() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (!idle_.empty()) {
      auto client = std::move(idle_.back());
      idle_.pop_back();
      return client;
    }
    ++made_;
  }
  return std::make_unique<runner_client>(path_);
}

void runner_pool::give_back(std::unique_ptr<runner_client> client) {
  if (!client || !client->connected())
    return;
  std::lock_guard<std::mutex> guard{mtx_};
  // A burst of calls opened more connections than later calls need: the rest close here.
  if (idle_.size() < max_idle_)
    idle_.push_back(std::move(client));
}

uint64_t runner_pool::clients_made() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return made_;
}

size_t runner_pool::idle() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return idle_.size();
}

} // namespace baikal::runner
