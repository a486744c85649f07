#pragma once

/// Which numbered events of an agent's stream (messages/events.hpp, numbered_event) the hub
/// applies: each once, in order. A manager link sends again, after a reconnection, the events
/// it could not see confirmed; some of them may have arrived over the old connection already.
/// Per agent the filter keeps the stream and the highest number applied: a number not above it
/// is a repeat; another stream (the agent process started again) starts over.

#include <cstdint>
#include <unordered_map>

#include "messages/ids.hpp"

namespace baikal {

class event_stream_filter {
public:
  /// Whether event `seq` of `agent`'s `stream` is new (and is now taken as applied).
  bool accept(const agent_id& agent, uint64_t stream, uint64_t seq);

  /// Repeats dropped so far.
  uint64_t repeats() const { return repeats_; }

private:
  struct position {
    uint64_t stream = 0;
    uint64_t seq = 0;
  };
  std::unordered_map<agent_id, position> agents_;
  uint64_t repeats_ = 0;
};

} // namespace baikal
