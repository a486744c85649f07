#pragma once

/// Which manager nodes the agent has left for another. With managers sharing a store, a leader
/// that lost the lead (paused, cut off) may still hold a connection to the agent and act on
/// what it knew for the moment before it notices: reconcile the agent's kernels away, destroy,
/// create. Once the agent's link registered with another manager, commands that change
/// something from a manager it left are refused. A manager the agent has not met yet is not
/// refused: a new leader calls the agents it finds in the store before they register with it.
///
/// Written by the link's actor, read by the agent's: the two share it.

#include <deque>
#include <mutex>

#include <caf/node_id.hpp>

namespace baikal {

class followed_manager {
public:
  /// The link registers with the manager on `node`: the one followed before is left.
  void follow(const caf::node_id& node);
  /// Whether a command sent from `sender` may act on an agent running on `self`: from its own
  /// process, or from any manager node it has not left for another.
  bool admits(const caf::node_id& sender, const caf::node_id& self) const;

private:
  /// Kept few: a node left long ago has long stopped (a deposed leader exits).
  static constexpr size_t max_left = 16;
  mutable std::mutex mutex_;
  caf::node_id node_;
  std::deque<caf::node_id> left_;
};

} // namespace baikal
