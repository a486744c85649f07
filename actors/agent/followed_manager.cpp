#include "actors/agent/followed_manager.hpp"

#include <algorithm>

namespace baikal {

void followed_manager::follow(const caf::node_id& node) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (node == node_)
    return;
  left_.erase(std::remove(left_.begin(), left_.end(), node), left_.end());
  if (node_ != caf::node_id{}) {
    left_.push_back(node_);
    if (left_.size() > max_left)
      left_.pop_front();
  }
  node_ = node;
}

bool followed_manager::admits(const caf::node_id& sender, const caf::node_id& self) const {
  if (sender == self)
    return true;
  std::lock_guard<std::mutex> guard{mutex_};
  return std::find(left_.begin(), left_.end(), sender) == left_.end();
}

} // namespace baikal
