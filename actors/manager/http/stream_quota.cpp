#include "actors/manager/http/stream_quota.hpp"

namespace baikal {

stream_quota::place::~place() {
  // The place keeps the counts alive, so it may outlive the quota.
  std::lock_guard<std::mutex> guard{state->mtx};
  auto i = state->held.find(user);
  if (i != state->held.end() && --i->second == 0)
    state->held.erase(i);
}

std::shared_ptr<void> stream_quota::take(const std::string& user) {
  {
    std::lock_guard<std::mutex> guard{state_->mtx};
    auto& n = state_->held[user];
    if (n >= per_user_)
      return nullptr;
    ++n;
  }
  return std::make_shared<place>(state_, user);
}

uint32_t stream_quota::held(const std::string& user) const {
  std::lock_guard<std::mutex> guard{state_->mtx};
  auto i = state_->held.find(user);
  return i == state_->held.end() ? 0 : i->second;
}

} // namespace baikal
