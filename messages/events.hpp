#pragma once

/// The events agents produce (the names of the reference system). Each is its own message
/// type so an event sink handles exactly the events it cares about.

#include <caf/optional.hpp>
#include <cstdint>
#include <string>

#include <caf/message.hpp>
#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

/// The fields every kernel lifecycle event carries.
struct kernel_event_header {
  kernel_id kernel;
  session_id session;
  agent_id agent;
  std::string reason;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, kernel_event_header& x) {
  return f(caf::meta::type_name("baikal::kernel_event_header"), x.kernel, x.session, x.agent,
           x.reason);
}

#define BAIKAL_KERNEL_EVENT(name)                                                                  \
  struct name {                                                                                    \
    kernel_event_header header;                                                                    \
  };                                                                                               \
  template <class Inspector> typename Inspector::result_type inspect(Inspector& f, name& x) {      \
    return f(caf::meta::type_name("baikal::" #name), x.header);                                    \
  }

BAIKAL_KERNEL_EVENT(kernel_preparing_event)
BAIKAL_KERNEL_EVENT(kernel_pulling_event)
BAIKAL_KERNEL_EVENT(kernel_creating_event)
#undef BAIKAL_KERNEL_EVENT

struct kernel_started_event {
  kernel_event_header header;
  kernel_info info;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, kernel_started_event& x) {
  return f(caf::meta::type_name("baikal::kernel_started_event"), x.header, x.info);
}

struct kernel_terminated_event {
  kernel_event_header header;
  caf::optional<int32_t> exit_code;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, kernel_terminated_event& x) {
  return f(caf::meta::type_name("baikal::kernel_terminated_event"), x.header, x.exit_code);
}

/// Raised when resource allocation fails, so the manager re-checks the agent's slots.
struct do_agent_resource_check_event {
  agent_id agent;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, do_agent_resource_check_event& x) {
  return f(caf::meta::type_name("baikal::do_agent_resource_check_event"), x.agent);
}

struct agent_terminated_event {
  agent_id agent;
  std::string reason; ///< "shutdown"
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_terminated_event& x) {
  return f(caf::meta::type_name("baikal::agent_terminated_event"), x.agent, x.reason);
}

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

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, image_pull_event& x) {
  return f(caf::meta::type_name("baikal::image_pull_event"), x.what, x.agent, x.image, x.job_id,
           x.message, x.current, x.total, x.timestamp_ms);
}

/// Execution of code in a session: started, finished, timed out or cancelled.
struct execution_event {
  enum class phase : uint8_t { started = 1, finished, timeout, cancelled };
  phase what = phase::started;
  session_id session;
  kernel_id kernel;
};

std::string to_string(execution_event::phase x);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, execution_event& x) {
  return f(caf::meta::type_name("baikal::execution_event"), x.what, x.session, x.kernel);
}

/// An event as an agent's manager link sends it to a hub that takes numbered events: with its
/// place in the agent's stream, so that the hub applies each event once when the link sends
/// again what a broken connection may or may not have delivered (actors/agent/manager_link.hpp).
struct numbered_event {
  agent_id agent;
  uint64_t stream = 0; ///< drawn at random when the agent starts: a new process starts over
  uint64_t seq = 0;    ///< 1, 2, ... in the order the agent produced its events
  caf::message event;  ///< one of the events above
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, numbered_event& x) {
  return f(caf::meta::type_name("baikal::numbered_event"), x.agent, x.stream, x.seq, x.event);
}

} // namespace baikal
