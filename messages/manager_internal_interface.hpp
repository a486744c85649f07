#pragma once

/// The messages the manager's own actors exchange (none of them crosses nodes) and the typed
/// interfaces of those actors:
///  - `session_actor`: one per live session; the event hub hands it the events of its kernels
///    and images, the front hands it its binding and termination;
///  - `event_hub_actor`: the event sink agents report to, plus session attachment and
///    subscriptions;
///  - `registry_actor`: the agent registry with its internal face (handle look-ups, liveness
///    ticks, the front it reports to);
///  - `manager_front_actor`: manager_actor plus what the registry and the sessions tell it, and
///    the kernel events of parked sessions (the hub has no route for them).

#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/agent_directory.hpp"
#include "messages/inspect.hpp"
#include "messages/launcher_interface.hpp"
#include "messages/manager_interface.hpp"

namespace baikal {

// -- session actors ------------------------------------------------------------------------------

/// A session's spec, shared by the front and the session actor instead of a copy in each: an
/// idle session's memory is mostly its copies. Nobody changes a spec once it is shared; binding
/// makes a new one.
using shared_spec = std::shared_ptr<const scheduled_session>;

namespace sess {

/// The scheduler bound the session's kernels to agents: start pulling its images. Never leaves
/// the manager's process, so it carries the shared spec rather than a serializable copy.
struct bound {
  shared_spec spec;
};

/// The session cannot be placed yet; `reason` says why (recorded when it changes).
struct still_pending {
  std::string reason;
};
BAIKAL_INSPECT("sess::", still_pending, x.reason)

/// Stop the session: answered once it is TERMINATING (or already ended). `reason` goes into
/// its history; `why` is the lifecycle reason its kernels are destroyed with.
struct terminate {
  std::string reason;
  std::string why = lifecycle_reason::user_requested;
};
BAIKAL_INSPECT("sess::", terminate, x.reason, x.why)

/// Restart the session's main kernel (api::restart_session); answers its new kernel_info.
struct restart_main_kernel {};
BAIKAL_INSPECT("sess::", restart_main_kernel)

/// Sent to itself: the current phase may be due for a probe (the session checks its due time).
struct phase_timeout {};
BAIKAL_INSPECT("sess::", phase_timeout)

/// Sent to itself once a start the launcher reported as done had time for its kernel_started
/// events: the kernels whose event has not come are probed then.
struct started_events_due {};
BAIKAL_INSPECT("sess::", started_events_due)

/// From the hub, once it routes the session's events to the front instead: the session asked
/// to park (front::session_idle) and ends now if it is still idle. Every event the hub sent it
/// before is ahead of this in its mailbox.
struct sleep {};
BAIKAL_INSPECT("sess::", sleep)

} // namespace sess

using session_actor =
    caf::typed_actor<caf::reacts_to<kernel_preparing_event>, caf::reacts_to<kernel_pulling_event>,
                     caf::reacts_to<kernel_creating_event>, caf::reacts_to<kernel_started_event>,
                     caf::reacts_to<kernel_terminated_event>, caf::reacts_to<image_pull_event>,
                     caf::reacts_to<sess::bound>, caf::reacts_to<sess::still_pending>,
                     caf::replies_to<sess::terminate>::with<ack>,
                     caf::replies_to<sess::restart_main_kernel>::with<kernel_info>,
                     caf::reacts_to<sess::phase_timeout>, caf::reacts_to<sess::sleep>,
                     caf::reacts_to<sess::started_events_due>, caf::reacts_to<batch_result_event>,
                     caf::reacts_to<start_progress>>;

// -- manager front -------------------------------------------------------------------------------

namespace front {

/// An agent joined, rejoined, beat again after being LOST, or was lost. `handle` is invalid
/// when the agent is not reachable.
struct agent_changed {
  agent_record record;
  agent_actor handle;
};
BAIKAL_INSPECT("front::", agent_changed, x.record, x.handle)

/// A session moved to `status`.
struct session_changed {
  session_id session;
  session_status status = session_status::pending;
};
BAIKAL_INSPECT("front::", session_changed, x.session, x.status)

/// A RUNNING session has nothing under way (no timer, no request it waits for) and may park:
/// its actor ends and the front keeps its spec, spawning the actor again when the session is
/// asked for something. An idle RUNNING session then costs the front's entry, not an actor.
struct session_idle {
  session_id session;
};
BAIKAL_INSPECT("front::", session_idle, x.session)

/// The session's actor parked (it ends right after sending this).
struct session_asleep {
  session_id session;
};
BAIKAL_INSPECT("front::", session_asleep, x.session)

/// The kernels of live sessions bound to `agent`: what the manager believes it runs.
struct kernels_on_agent {
  agent_id agent;
};
BAIKAL_INSPECT("front::", kernels_on_agent, x.agent)

/// A session's start failed on agents for reasons of their own (for their quarantine,
/// agent_quarantine.hpp). A start that succeeded shows as the session's RUNNING.
struct launch_failed {
  session_id session;
  std::vector<start_failure> failures;
};
BAIKAL_INSPECT("front::", launch_failed, x.session, x.failures)

/// The session's start failed on agents for reasons of their own and what it left there is
/// cleaned up: it is PENDING again, to be placed ahead of the others, on agents other than
/// `avoid` when any has room.
struct place_again {
  session_id session;
  std::vector<agent_id> avoid;
};
BAIKAL_INSPECT("front::", place_again, x.session, x.avoid)

/// Sent to itself when the earliest quarantine back-off ends.
struct quarantine_tick {};
BAIKAL_INSPECT("front::", quarantine_tick)

/// Sent to itself when a RUNNING session's idle deadline may have come (idle_clock.hpp).
struct idle_check {
  session_id session;
};
BAIKAL_INSPECT("front::", idle_check, x.session)

/// Sent to itself: run a scheduling pass over the PENDING sessions.
struct schedule_pass {};
BAIKAL_INSPECT("front::", schedule_pass)

/// Sent to itself: write the creates checked since the last such pass to the store, at once.
struct insert_pass {};
BAIKAL_INSPECT("front::", insert_pass)

} // namespace front

using manager_front_actor = manager_actor::extend<
    caf::reacts_to<front::agent_changed>, caf::reacts_to<front::session_changed>,
    caf::reacts_to<front::schedule_pass>, caf::reacts_to<front::insert_pass>,
    caf::reacts_to<front::session_idle>, caf::reacts_to<front::session_asleep>,
    caf::reacts_to<front::launch_failed>, caf::reacts_to<front::place_again>,
    caf::reacts_to<front::quarantine_tick>, caf::reacts_to<front::idle_check>,
    caf::reacts_to<kernel_started_event>, caf::reacts_to<kernel_terminated_event>,
    caf::reacts_to<batch_result_event>,
    caf::replies_to<front::kernels_on_agent>::with<std::vector<kernel_session>>>;

// -- event hub -----------------------------------------------------------------------------------

namespace hub {

/// Route the events of `session` (its kernels, and the pulls named by `pulls`, each
/// pull_key(agent, image) of actors/manager/event_hub.hpp) to `handle`. Sent again when the
/// pulls change; the hub forgets the session when its actor ends.
struct attach_session {
  session_id session;
  session_actor handle;
  std::vector<std::string> pulls;
};
BAIKAL_INSPECT("hub::", attach_session, x.session, x.handle, x.pulls)

/// Stop routing the session's events to `handle` (which is parking) and send it sess::sleep.
/// Kernel events of a session without a route go to the front, which spawns its actor again.
struct detach_session {
  session_id session;
  session_actor handle;
};
BAIKAL_INSPECT("hub::", detach_session, x.session, x.handle)

/// Where the events of sessions without a route go (set once, right after the front is spawned).
struct set_front {
  manager_front_actor front;
};
BAIKAL_INSPECT("hub::", set_front, x.front)

} // namespace hub

using event_hub_actor =
    event_sink_actor::extend<caf::reacts_to<numbered_event>, caf::reacts_to<hub::attach_session>,
                             caf::reacts_to<hub::detach_session>, caf::reacts_to<hub::set_front>,
                             caf::replies_to<api::subscribe_events>::with<ack>,
                             caf::replies_to<api::follow_events>::with<event_replay>>;

// -- agent registry ------------------------------------------------------------------------------

namespace reg {

/// The handles of `agents` that are reachable now (the others are left out).
struct lookup_agents {
  std::vector<agent_id> agents;
};
BAIKAL_INSPECT("reg::", lookup_agents, x.agents)

/// Every agent the registry knows, as it knows it now (last heartbeat included).
struct list_agent_records {};
BAIKAL_INSPECT("reg::", list_agent_records)

/// Sent to itself every heartbeat interval: mark the silent agents LOST.
struct check_liveness {};
BAIKAL_INSPECT("reg::", check_liveness)

/// Who to tell about agents (set once, right after both are spawned).
struct set_front {
  manager_front_actor front;
};
BAIKAL_INSPECT("reg::", set_front, x.front)

} // namespace reg

using registry_actor = agent_registry_actor::extend<
    caf::replies_to<reg::lookup_agents>::with<agent_directory>,
    caf::replies_to<reg::list_agent_records>::with<std::vector<agent_record>>,
    caf::reacts_to<reg::check_liveness>, caf::reacts_to<reg::set_front>>;

} // namespace baikal

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(baikal::sess::bound)
