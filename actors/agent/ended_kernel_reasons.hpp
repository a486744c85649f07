#pragma once

/// The reasons of the kernels that ended themselves lately (an execution past its timeout),
/// kept so that a reconciliation reporting such a kernel gone names the kernel's own reason
/// rather than "already-terminated". Bounded: the oldest are forgotten first.

#include <deque>
#include <map>
#include <string>

#include "messages/ids.hpp"

namespace baikal {

class ended_kernel_reasons {
public:
  explicit ended_kernel_reasons(size_t capacity = 512) : capacity_(capacity) {}

  void remember(const kernel_id& kernel, const std::string& reason) {
    if (reasons_.count(kernel) == 0)
      order_.push_back(kernel);
    reasons_[kernel] = reason;
    while (order_.size() > capacity_) {
      reasons_.erase(order_.front());
      order_.pop_front();
    }
  }

  /// The remembered reason, or `fallback`.
  std::string reason_of(const kernel_id& kernel, const std::string& fallback) const {
    auto i = reasons_.find(kernel);
    return i == reasons_.end() || i->second.empty() ? fallback : i->second;
  }

private:
  size_t capacity_;
  std::deque<kernel_id> order_;
  std::map<kernel_id, std::string> reasons_;
};

} // namespace baikal
