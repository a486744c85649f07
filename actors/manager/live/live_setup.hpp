#pragma once

/// What the actors behind the live routes (run_stream, terminal_bridge) start from: the main
/// kernel they talk to, the WebSocket they answer on, and the API's limits and deadlines.

#include <chrono>
#include <memory>
#include <string>

#include "actors/manager/http/api_limits.hpp"
#include "messages/manager_interface.hpp"
#include "runtime/http/server.hpp"

namespace baikal::live {

struct live_setup {
  kernel_route route;
  /// Weak: the connection's own operations keep it alive, and when the server stops it must
  /// be able to go (its end tells the actor, which then quits).
  std::weak_ptr<http::websocket> ws;
  api_limits limits;
  /// The deadline of one call to the agent beyond the run's own flush timeout.
  std::chrono::milliseconds call_timeout{120 * 1000};
  std::string user; ///< for the log
};

/// How long one poll of a run waits for output before the runner answers "continued": short
/// enough that a closed client is noticed, long enough that an idle run costs little.
constexpr double poll_flush_seconds = 10.0;

/// The flush timeout of a run's first call, whose answer names the run: a client that goes
/// away at once can then cancel it, and the started frame is not late.
constexpr double first_poll_seconds = 0.2;

/// Output queued towards a client beyond this waits before more is asked for: a client that
/// reads slowly slows the run down instead of growing the manager's memory.
constexpr size_t max_queued_output = 1024 * 1024;

/// The deadline of one call `x` to the kernel: the agent's, and the run's own flush timeout.
inline std::chrono::milliseconds call_limit(const live_setup& setup, const op::execute& x) {
  return setup.call_timeout +
         std::chrono::milliseconds(static_cast<int64_t>(x.flush_timeout * 1000));
}

/// An execute aimed at the route's kernel.
inline op::execute aimed_execute(const kernel_route& route, execution_mode mode,
                                 std::string code = {}, std::string run_id = {}) {
  op::execute x;
  x.session = route.session;
  x.kernel = route.kernel;
  x.mode = mode;
  x.code = std::move(code);
  x.run_id = std::move(run_id);
  x.flush_timeout = poll_flush_seconds;
  x.opts["stream"] = "true";
  return x;
}

} // namespace baikal::live
