#pragma once

/// The session launcher's interface (the reference system's SessionLauncher).

#include <map>
#include <string>
#include <vector>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/agent_interface.hpp"
#include "messages/errors.hpp"
#include "messages/image_types.hpp"
#include "messages/inspect.hpp"
#include "messages/session_types.hpp"

namespace baikal {

namespace op {

/// Ask every agent that will run a kernel of `sessions` to pull its images.
struct trigger_image_pulling {
  std::vector<scheduled_session> sessions;
  std::map<std::string, image_config> image_configs;
};

BAIKAL_INSPECT("op::", trigger_image_pulling, x.sessions, x.image_configs)

} // namespace op

/// A step of a session's start worth telling its user before the outcome: that it waits for
/// its SSH keypair, and that it creates its kernels once it has it.
struct start_progress {
  session_id session;
  std::string status_info;
};

BAIKAL_INSPECT("", start_progress, x.session, x.status_info)

using start_progress_sink = caf::typed_actor<caf::reacts_to<start_progress>>;

namespace op {

/// Start `sessions` concurrently, each under the session start timeout. `progress` (if valid)
/// is told the steps worth telling.
struct start_sessions {
  std::vector<scheduled_session> sessions;
  std::map<std::string, image_config> image_configs;
  start_progress_sink progress;
};

BAIKAL_INSPECT("op::", start_sessions, x.sessions, x.image_configs, x.progress)

/// Tell the launcher which agents it can reach: `joined` are added (or replace an older handle
/// of the same agent), `left` are removed. Sessions already starting keep the handles they had.
struct update_agent_directory {
  std::map<agent_id, agent_actor> joined;
  std::vector<agent_id> left;
};

BAIKAL_INSPECT("op::", update_agent_directory, x.joined, x.left)

/// Sent by the launcher to itself: end the starts past the session start timeout.
struct sweep_start_deadlines {};

BAIKAL_INSPECT("op::", sweep_start_deadlines)

/// Sent by the launcher to itself: ask the agents for the pulls queued since the last pass.
struct pull_pass {};

BAIKAL_INSPECT("op::", pull_pass)

} // namespace op

/// One step of a session's start that failed: on `agent` (empty when the manager's own step
/// failed: the network plugin, the keypair, the store), with `code` and the message.
struct start_failure {
  agent_id agent;
  errc code = errc::runtime_error;
  std::string message;
};

BAIKAL_INSPECT("", start_failure, x.agent, x.code, x.message)

/// How one session's start ended: `error` is empty on success, else an errc name; `failures`
/// says which agents failed and why (empty when the start timed out as a whole).
struct session_start_outcome {
  session_id session;
  std::string error;
  std::string message;
  std::vector<start_failure> failures;
};

BAIKAL_INSPECT("", session_start_outcome, x.session, x.error, x.message, x.failures)

struct start_sessions_report {
  std::vector<session_start_outcome> outcomes;
};

BAIKAL_INSPECT("", start_sessions_report, x.outcomes)

using launcher_actor =
    caf::typed_actor<caf::replies_to<op::trigger_image_pulling>::with<ack>,
                     caf::replies_to<op::start_sessions>::with<start_sessions_report>,
                     caf::replies_to<op::update_agent_directory>::with<ack>,
                     caf::reacts_to<op::sweep_start_deadlines>, caf::reacts_to<op::pull_pass>>;

} // namespace baikal
