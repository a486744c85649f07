#include "actors/manager/event_stream_filter.hpp"

namespace baikal {

bool event_stream_filter::accept(const agent_id& agent, uint64_t stream, uint64_t seq) {
  auto& at = agents_[agent];
  if (at.stream != stream) {
    at = position{stream, seq};
    return true;
  }
  if (seq <= at.seq) {
    ++repeats_;
    return false;
  }
  at.seq = seq;
  return true;
}

} // namespace baikal
