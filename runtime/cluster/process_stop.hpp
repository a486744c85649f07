#pragma once

/// How a node process (baikal-agent, baikal-manager) knows it must stop: a stop signal, or one
/// of the actors it cannot work without ending. A process whose agent actor failed used to stay
/// up, re-registering a dead agent every 2 s; now it exits non-zero and systemd starts it again.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>

namespace baikal::cluster {

/// Why wait_for_stop returned.
struct stop_cause {
  int signal = 0;    ///< SIGTERM or SIGINT; 0 when a watched actor ended first
  std::string actor; ///< the watched actor that ended first
  caf::error reason; ///< its exit reason (none for a normal exit)
  /// Every watched actor that ended (the first one first), with its exit reason: one actor's
  /// end can end another (the agent's stops its manager link), and their ends may arrive in
  /// either order.
  std::vector<std::pair<std::string, caf::error>> ended;
};

/// An actor the process watches, with the name logs give it ("the agent").
using watched_actor = std::pair<std::string, caf::actor>;

/// Blocks until SIGTERM or SIGINT arrives, or one of `watched` ends. The signals must be blocked
/// in every thread before the actor system starts (they are taken with sigwait).
stop_cause wait_for_stop(caf::actor_system& sys, const std::vector<watched_actor>& watched);

/// The exit code for `cause`: 0 for a stop signal, 1 when an actor ended by itself.
int exit_code_of(const stop_cause& cause);

/// Ends the process with `code` once `grace` has passed, if it has not ended by then: the
/// actor system waits for every actor at exit, and a blocking call (a batch run holds a
/// runner call for up to ten minutes) must not hold the process past its stop.
void exit_after(std::chrono::seconds grace, int code);

} // namespace baikal::cluster
