#pragma once

/// The events agents produce (the names of the reference system). Each is its own message
/// type so an event sink handles exactly the events it cares about.

#include <caf/optional.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include <caf/message.hpp>

#include "messages/ids.hpp"
#include "messages/inspect.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

/// The fields every kernel lifecycle event carries.
struct kernel_event_header {
  kernel_id kernel;
  session_id session;
  agent_id agent;
  std::string reason;
};

BAIKAL_INSPECT("", kernel_event_header, x.kernel, x.session, x.agent, x.reason)

struct kernel_preparing_event {
  kernel_event_header header;
};
BAIKAL_INSPECT("", kernel_preparing_event, x.header)

struct kernel_pulling_event {
  kernel_event_header header;
};
BAIKAL_INSPECT("", kernel_pulling_event, x.header)

struct kernel_creating_event {
  kernel_event_header header;
};
BAIKAL_INSPECT("", kernel_creating_event, x.header)

struct kernel_started_event {
  kernel_event_header header;
  kernel_info info;
};

BAIKAL_INSPECT("", kernel_started_event, x.header, x.info)

struct kernel_terminated_event {
  kernel_event_header header;
  caf::optional<int32_t> exit_code;
};

BAIKAL_INSPECT("", kernel_terminated_event, x.header, x.exit_code)

/// Raised when resource allocation fails, so the manager re-checks the agent's slots.
struct do_agent_resource_check_event {
  agent_id agent;
};

BAIKAL_INSPECT("", do_agent_resource_check_event, x.agent)

struct agent_terminated_event {
  agent_id agent;
  std::string reason; ///< "shutdown"
};

BAIKAL_INSPECT("", agent_terminated_event, x.agent, x.reason)

/// An image pull on an agent: started, progress, finished or failed.
struct image_pull_event {
  enum class phase : uint8_t { started = 1, progress, finished, failed };
  phase what = phase::started;
  agent_id agent;
  std::string image;
  std::string job_id;
  std::string message;  ///< progress line, "already exists", or the failure
  uint64_t current = 0; ///< bytes done so far (progress)
  uint64_t total = 0;   ///< bytes in all (progress), 0 when unknown
  int64_t timestamp_ms = 0;
};

std::string to_string(image_pull_event::phase x);

BAIKAL_INSPECT("", image_pull_event, x.what, x.agent, x.image, x.job_id, x.message, x.current,
               x.total, x.timestamp_ms)

/// Execution of code in a session: started, finished, timed out or cancelled.
struct execution_event {
  enum class phase : uint8_t { started = 1, finished, timeout, cancelled };
  phase what = phase::started;
  session_id session;
  kernel_id kernel;
};

std::string to_string(execution_event::phase x);

BAIKAL_INSPECT("", execution_event, x.what, x.session, x.kernel)

/// How the startup command of a batch session ended on its main kernel.
enum class batch_outcome : uint8_t { finished = 1, timeout, failed };

std::string to_string(batch_outcome x);

/// The end of a batch session's startup command. `header.reason` is the failure's message for
/// `failed`; `output` is the run's stdout and stderr as produced, only its last
/// max_batch_output_bytes when it was longer.
struct batch_result_event {
  kernel_event_header header;
  batch_outcome outcome = batch_outcome::finished;
  caf::optional<int32_t> exit_code;
  std::string output;
};

BAIKAL_INSPECT("", batch_result_event, x.header, x.outcome, x.exit_code, x.output)

/// The most output a batch result carries (and the store keeps): the tail is what explains
/// how a command ended.
constexpr size_t max_batch_output_bytes = 1024 * 1024;

/// An event as an agent's manager link sends it to a hub that takes numbered events: with its
/// place in the agent's stream, so that the hub applies each event once when the link sends
/// again what a broken connection may or may not have delivered (actors/agent/manager_link.hpp).
struct numbered_event {
  agent_id agent;
  uint64_t stream = 0; ///< drawn at random when the agent starts: a new process starts over
  uint64_t seq = 0;    ///< 1, 2, ... in the order the agent produced its events
  caf::message event;  ///< one of the events above
};

BAIKAL_INSPECT("", numbered_event, x.agent, x.stream, x.seq, x.event)

} // namespace baikal
