#pragma once

/// The store actor's interface (actors/manager/store_actor.hpp runs it):
///  - `session_repository_actor`: the two operations the launcher needs (the reference's
///    SchedulerRepository), so a test's recording repository can stand in for the store;
///  - `store_actor`: that plus what the manager's other actors read and write.

#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/optional.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/ack.hpp"
#include "messages/ids.hpp"
#include "messages/inspect.hpp"
#include "messages/session_records.hpp"

namespace baikal {

namespace repo {

/// Record the network the session's kernels attach to; empty for Docker's default network.
struct update_session_network_id {
  session_id session;
  std::string network_id;
};
BAIKAL_INSPECT("repo::", update_session_network_id, x.session, x.network_id)

/// Record why the session failed to start: the error info JSON of error_info.hpp.
struct update_session_error_info {
  session_id session;
  std::string error_info;
};
BAIKAL_INSPECT("repo::", update_session_error_info, x.session, x.error_info)

} // namespace repo

using session_repository_actor =
    caf::typed_actor<caf::replies_to<repo::update_session_network_id>::with<ack>,
                     caf::replies_to<repo::update_session_error_info>::with<ack>>;

namespace repo {

/// The new sessions of one pass through the front's mailbox, written in the store's open batch:
/// the front waits for one answer instead of one per session. The specs are the front's own,
/// shared (the store is the manager's own actor).
struct insert_sessions {
  std::vector<std::shared_ptr<const scheduled_session>> sessions;
  session_status status = session_status::pending;
  std::string reason;
};

/// The answer to insert_sessions, once the batch holding them is committed: `errors[i]` is why
/// `sessions[i]` was not stored, none if it was.
struct inserted_sessions {
  std::vector<caf::error> errors;
};

struct get_session {
  session_id session;
};
BAIKAL_INSPECT("repo::", get_session, x.session)

struct list_sessions {};
BAIKAL_INSPECT("repo::", list_sessions)

struct set_session_status {
  session_id session;
  session_status status = session_status::pending;
  std::string reason;
};
BAIKAL_INSPECT("repo::", set_session_status, x.session, x.status, x.reason)

struct get_status_history {
  session_id session;
};
BAIKAL_INSPECT("repo::", get_status_history, x.session)

struct upsert_agent {
  agent_record agent;
};
BAIKAL_INSPECT("repo::", upsert_agent, x.agent)

struct list_agents {};
BAIKAL_INSPECT("repo::", list_agents)

struct list_sessions_of {
  user_id owner;
  session_page page;
};
BAIKAL_INSPECT("repo::", list_sessions_of, x.owner, x.page)

/// The scheduler bound the session's kernels: store the new spec and each kernel's agent.
struct bind_session {
  scheduled_session session;
};
BAIKAL_INSPECT("repo::", bind_session, x.session)

struct set_kernel_status {
  kernel_id kernel;
  kernel_status status = kernel_status::pending;
  std::string container_id;
};
BAIKAL_INSPECT("repo::", set_kernel_status, x.kernel, x.status, x.container_id)

/// What one step of a session's actor changed, in one write: bound to `bound` first when it is
/// given (as bind_session), then moved through `moves` (the last is its status; each kept in its
/// history, at its at_ms), and its `kernels` changed (as set_kernel_status: the step that sees
/// the last kernel start moves the session to RUNNING). Local to the manager: the spec goes by
/// pointer, not copied.
struct move_session {
  session_id session;
  std::vector<status_change> moves;
  std::shared_ptr<const scheduled_session> bound;
  std::vector<set_kernel_status> kernels;
};

/// The main kernel of `session` started with these services.
struct set_service_ports {
  session_id session;
  std::vector<service_port> ports;
};
BAIKAL_INSPECT("repo::", set_service_ports, x.session, x.ports)

/// An operator (`by`) drained agent `agent`, or undrained it (`drained` false): kept so that a
/// restarted manager keeps the agent drained.
struct set_agent_drained {
  agent_id agent;
  bool drained = true;
  std::string by;
};
BAIKAL_INSPECT("repo::", set_agent_drained, x.agent, x.drained, x.by)

/// The agents drained now.
struct list_drained_agents {};
BAIKAL_INSPECT("repo::", list_drained_agents)

/// How a batch session's startup command ended: kept beside the session for its result and
/// its logs once the kernels are gone.
struct set_batch_result {
  session_id session;
  caf::optional<int32_t> exit_code;
  std::string output;
};
BAIKAL_INSPECT("repo::", set_batch_result, x.session, x.exit_code, x.output)

/// The stored output of a batch session (not_found when the session is not one).
struct get_batch_output {
  session_id session;
};
BAIKAL_INSPECT("repo::", get_batch_output, x.session)

/// Sent by the store to itself: commit the writes of the current batch.
struct flush_batch {};
BAIKAL_INSPECT("repo::", flush_batch)

/// Sent by the store to itself while it leads a shared store: prove the leader alive.
struct keep_leading {};
BAIKAL_INSPECT("repo::", keep_leading)

} // namespace repo

using store_actor = session_repository_actor::extend<
    caf::replies_to<repo::insert_sessions>::with<repo::inserted_sessions>,
    caf::replies_to<repo::get_session>::with<session_record>,
    caf::replies_to<repo::list_sessions>::with<std::vector<session_record>>,
    caf::replies_to<repo::set_session_status>::with<ack>,
    caf::replies_to<repo::get_status_history>::with<std::vector<status_change>>,
    caf::replies_to<repo::upsert_agent>::with<ack>,
    caf::replies_to<repo::list_agents>::with<std::vector<agent_record>>,
    caf::replies_to<repo::set_kernel_status>::with<ack>,
    caf::replies_to<repo::set_service_ports>::with<ack>,
    caf::replies_to<repo::list_sessions_of>::with<std::vector<session_record>>,
    caf::replies_to<repo::bind_session>::with<ack>, caf::replies_to<repo::move_session>::with<ack>,
    caf::replies_to<repo::set_agent_drained>::with<ack>,
    caf::replies_to<repo::list_drained_agents>::with<std::vector<agent_id>>,
    caf::reacts_to<repo::flush_batch>, caf::reacts_to<repo::keep_leading>,
    caf::replies_to<repo::set_batch_result>::with<ack>,
    caf::replies_to<repo::get_batch_output>::with<std::string>>;

} // namespace baikal

// The store is the manager's own actor: these never cross nodes.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baikal::repo::insert_sessions)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baikal::repo::inserted_sessions)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baikal::repo::move_session)
