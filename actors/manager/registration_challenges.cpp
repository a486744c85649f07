#include "actors/manager/registration_challenges.hpp"

namespace baikal {

registration_challenges::registration_challenges(std::chrono::milliseconds ttl, size_t capacity)
    : ttl_(ttl), capacity_(capacity > 0 ? capacity : 1) {}

void registration_challenges::add(const std::string& challenge, clock::time_point now) {
  if (challenge.empty())
    return;
  drop_expired(now);
  // order_ also holds used challenges until they reach its front: bound both.
  while (!order_.empty() && (issued_.size() >= capacity_ || order_.size() >= 2 * capacity_)) {
    issued_.erase(order_.front().second);
    order_.pop_front();
  }
  if (issued_.emplace(challenge, now).second)
    order_.emplace_back(now, challenge);
}

bool registration_challenges::redeem(const std::string& challenge, clock::time_point now) {
  auto i = issued_.find(challenge);
  if (i == issued_.end())
    return false;
  bool fresh = now - i->second <= ttl_;
  issued_.erase(i); // its entry in order_ goes when it reaches the front
  return fresh;
}

void registration_challenges::drop_expired(clock::time_point now) {
  while (!order_.empty() &&
         (now - order_.front().first > ttl_ || issued_.count(order_.front().second) == 0)) {
    auto i = issued_.find(order_.front().second);
    if (i != issued_.end() && i->second == order_.front().first)
      issued_.erase(i);
    order_.pop_front();
  }
}

} // namespace baikal
