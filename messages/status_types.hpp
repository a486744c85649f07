#pragma once

/// The states and roles records and messages carry, typed. Their names ("RUNNING", "main",
/// "query", ...) are what the HTTP API, events and the store spell: only those edges convert,
/// through to_string and the *_from parsers here.
///
/// The enums travel between nodes as their underlying integers (CAF's default for enums), so a
/// value's number must never change: add new values at the end.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <caf/optional.hpp>

namespace baikal {

// -- session status --

/// A session's lifecycle.
enum class session_status : uint8_t {
  pending = 1,
  scheduled,
  preparing,
  pulling,
  prepared,
  creating,
  running,
  terminating,
  terminated,
  error,
};

/// Every session status, in lifecycle order.
constexpr std::array<session_status, 10> all_session_statuses = {
    session_status::pending, session_status::scheduled,   session_status::preparing,
    session_status::pulling, session_status::prepared,    session_status::creating,
    session_status::running, session_status::terminating, session_status::terminated,
    session_status::error,
};

/// "PENDING", "SCHEDULED", ...
std::string to_string(session_status x);

/// The status named `text`, none for a name that is not a session status.
caf::optional<session_status> session_status_from(std::string_view text);

/// TERMINATED and ERROR: the session holds no resources and has no actor any more.
bool is_terminal(session_status x);

// -- kernel status --

/// A kernel's lifecycle as the manager records it. A kernel starts in its session's status, so
/// every session status has a kernel status of the same name.
enum class kernel_status : uint8_t {
  pending = 1,
  scheduled,
  preparing,
  pulling,
  prepared,
  creating,
  running,
  terminating,
  terminated,
  error,
  restarting,
  cancelled,
};

/// "PENDING", ..., "RESTARTING", "CANCELLED".
std::string to_string(kernel_status x);

/// The status named `text`, none for a name that is not a kernel status.
caf::optional<kernel_status> kernel_status_from(std::string_view text);

/// The kernel status of the same name as `x`.
kernel_status kernel_status_of(session_status x);

// -- agent status --

/// Whether the manager hears from an agent.
enum class agent_status : uint8_t {
  alive = 1,
  lost,
  terminated,
};

/// Every agent status.
constexpr std::array<agent_status, 3> all_agent_statuses = {agent_status::alive, agent_status::lost,
                                                            agent_status::terminated};

/// "ALIVE", "LOST", "TERMINATED".
std::string to_string(agent_status x);

/// The status named `text`, none for a name that is not an agent status.
caf::optional<agent_status> agent_status_from(std::string_view text);

// -- cluster role --

/// A kernel's place in its session's cluster.
enum class cluster_role : uint8_t {
  main = 1,
  sub,
};

/// "main", "sub".
std::string to_string(cluster_role x);

/// The role named `text`, none for a name that is not a cluster role.
caf::optional<cluster_role> cluster_role_from(std::string_view text);

// -- execution mode --

/// What an execute request asks of a kernel's runner.
enum class execution_mode : uint8_t {
  query = 1, ///< run new code
  batch,     ///< run the batch commands (build, then exec or the code)
  continue_, ///< collect more output of a run still going
  input,     ///< send a line to a run waiting for input
  pty,       ///< start the image's shell on a new terminal (the interactive shell route)
  write,     ///< send bytes as they are to a run's stdin or terminal; answers at once
  resize,    ///< set the size of a run's terminal; answers at once
  cancel,    ///< end a run whose client went away (SIGHUP, SIGKILL after a grace)
};

/// "query", "batch", "continue", "input", "pty", "write", "resize", "cancel".
std::string to_string(execution_mode x);

/// The mode named `text`, none for a name that is not an execution mode.
caf::optional<execution_mode> execution_mode_from(std::string_view text);

} // namespace baikal
