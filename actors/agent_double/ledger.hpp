#pragma once

/// What an agent double does and has done, shared between its actor and whoever drives it
/// (a test, the simulation, a bench) and guarded by one mutex: the sink its events go to,
/// failures to answer, the kernels it "runs" and the networks it "made", and counts of what it
/// was asked. Everything can be read or changed while the double runs, through with().

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <typeindex>
#include <vector>

#include <caf/error.hpp>

#include "messages/agent_interface.hpp"

namespace baikal::agent_double {

struct ledger {
  std::mutex mtx;

  // -- what it does ----------------------------------------------------------------------------

  event_sink_actor sink;    ///< where events go (set after registration); none: no events
  bool drop_events = false; ///< report nothing, even with a sink
  /// This many create_kernels calls succeed but their kernels are gone at once.
  size_t lose_creates = 0;
  /// kernel_started events go to `held_started` instead of the sink, for whoever drives the
  /// double to send when it likes (events that come after create_kernels' answer).
  bool hold_started_events = false;
  std::vector<kernel_started_event> held_started;

  /// `Op` answers `err` from now on (none: answers normally again).
  template <class Op> void fail(caf::error err) {
    if (err)
      failures_[typeid(Op)] = std::move(err);
    else
      failures_.erase(typeid(Op));
  }

  template <class Op> caf::error failure() const {
    auto i = failures_.find(typeid(Op));
    return i == failures_.end() ? caf::error{} : i->second;
  }

  // -- what it has done ------------------------------------------------------------------------

  std::map<kernel_id, std::string> running; ///< kernel -> container
  std::set<std::string> networks;
  size_t pulls = 0;            ///< check_and_pull calls
  size_t creates = 0;          ///< create_kernels calls
  size_t destroyed = 0;        ///< destroy_kernel calls
  size_t running_checks = 0;   ///< check_running calls
  size_t network_destroys = 0; ///< destroy_local_network calls
  std::vector<std::vector<kernel_session>> syncs;
  /// The cluster public key each session's create_kernels carried, when `record_cluster_keys`
  /// (off: a simulation of a million sessions would keep them all).
  bool record_cluster_keys = false;
  std::map<session_id, std::string> cluster_public_keys;

  /// Runs `f(*this)` under the lock and returns what it returns.
  template <class F> auto with(F f) {
    std::lock_guard<std::mutex> guard{mtx};
    return f(*this);
  }

private:
  std::map<std::type_index, caf::error> failures_;
};

using ledger_ptr = std::shared_ptr<ledger>;

} // namespace baikal::agent_double
