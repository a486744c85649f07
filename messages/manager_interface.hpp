#pragma once

/// The manager's two faces:
///  - `agent_registry_actor`: what an agent process talks to when it joins the manager over the
///    network (challenge, register, heartbeat);
///  - `manager_actor`: what the HTTP API (and tests, and baikal-sim) drive: sessions, agents, the
///    event stream, metrics. Every call names the user it acts for; a session of another user is
///    `not_found`, exactly like an unknown one.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <caf/optional.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/agent_interface.hpp"
#include "messages/event_feed.hpp"
#include "messages/ids.hpp"
#include "messages/inspect.hpp"
#include "messages/kernel_types.hpp"
#include "messages/session_records.hpp"

namespace baikal {

// -- agents joining ------------------------------------------------------------------------------

/// An agent's proof that it is the agent it registers as, on a cluster with TLS: its
/// certificate and a signature with that certificate's key over a fresh challenge of the
/// registry and the agent id (runtime/cluster/agent_identity.hpp). Empty on plain TCP.
struct identity_proof {
  std::string certificate; ///< PEM: the agent's certificate (then any intermediate CAs)
  std::string challenge;   ///< the registry's challenge, as the registry sent it
  std::string signature;   ///< raw signature bytes
};

BAIKAL_INSPECT("", identity_proof, x.certificate, x.challenge, x.signature)

/// The registry's answer to get_registration_challenge: good for one registration, shortly.
struct registration_challenge {
  std::string challenge;
};

BAIKAL_INSPECT("", registration_challenge, x.challenge)

namespace op {

/// An agent joins (or rejoins after a restart or a cut link) with the handle the manager calls.
struct register_agent {
  agent_id id;
  std::string addr; ///< host:port the agent serves on, for operators
  std::string scaling_group;
  resource_slots capacity;
  hardware_info hwinfo;
  agent_actor handle;
  identity_proof identity; ///< required by a registry that checks identities (TLS)
  std::string unhealthy;   ///< as in agent_heartbeat
};

BAIKAL_INSPECT("op::", register_agent, x.id, x.addr, x.scaling_group, x.capacity, x.hwinfo,
               x.handle, x.identity, x.unhealthy)

/// Asked before register_agent by an agent that proves its identity. `id` is for logs only:
/// the proof binds the challenge to the id it registers with.
struct get_registration_challenge {
  agent_id id;
};

BAIKAL_INSPECT("op::", get_registration_challenge, x.id)

/// Sent every `heartbeat_interval_ms`, and at once when `unhealthy` changes; an agent missing
/// several is marked LOST.
struct agent_heartbeat {
  agent_id id;
  resource_slots capacity;
  /// Empty while the agent can run kernels; else why it cannot (its Docker engine does not
  /// answer): the manager places no new kernels there until it is empty again.
  std::string unhealthy;
};

BAIKAL_INSPECT("op::", agent_heartbeat, x.id, x.capacity, x.unhealthy)

} // namespace op

/// The registry's answer to a registration: where to send events and how often to beat.
struct agent_registration {
  event_sink_actor events;
  int64_t heartbeat_interval_ms = 2000;
  /// `events` takes numbered_event: the link numbers its events and sends again those a broken
  /// connection may have lost; the sink applies each once.
  bool numbered_events = false;
};

BAIKAL_INSPECT("", agent_registration, x.events, x.heartbeat_interval_ms, x.numbered_events)

/// `known` is false when the registry does not know the agent (the manager was restarted): the
/// agent then registers again.
struct heartbeat_reply {
  bool known = true;
};

BAIKAL_INSPECT("", heartbeat_reply, x.known)

using agent_registry_actor =
    caf::typed_actor<caf::replies_to<op::register_agent>::with<agent_registration>,
                     caf::replies_to<op::agent_heartbeat>::with<heartbeat_reply>,
                     caf::replies_to<op::get_registration_challenge>::with<registration_challenge>>;

// -- what users ask ------------------------------------------------------------------------------

/// A storage folder of the session's owner to mount at /home/work/{folder}.
struct folder_mount {
  std::string folder;
  std::string mode = "rw"; ///< "rw" or "ro"
};

BAIKAL_INSPECT("", folder_mount, x.folder, x.mode)

/// `POST /v1/sessions` as a value. Resources are per kernel (`cpu` in cores, `mem` in bytes).
struct session_request {
  user_id owner;
  std::string access_key;
  std::string name;
  std::string image; ///< a reference the manager resolves to an image config
  cluster_mode mode = cluster_mode::single_node;
  uint32_t cluster_size = 1;
  resource_slots resources;
  std::map<std::string, std::string> environ;
  network_type network = network_type::volatile_;
  std::string network_id;
  std::string scaling_group; ///< empty: the manager's default group
  /// Seconds without activity after which the RUNNING session is ended, 0 for never; none:
  /// the manager's default (manager.session-idle-timeout).
  caf::optional<double> idle_timeout;
  std::vector<folder_mount> mounts;
  session_type type = session_type::interactive;
  std::string startup_command; ///< what a batch session's main kernel runs once RUNNING
  double batch_timeout = 0;    ///< seconds the startup command may run, 0 for no limit
};

BAIKAL_INSPECT("", session_request, x.owner, x.access_key, x.name, x.image, x.mode, x.cluster_size,
               x.resources, x.environ, x.network, x.network_id, x.scaling_group, x.idle_timeout,
               x.mounts, x.type, x.startup_command, x.batch_timeout)

/// A storage folder as `GET /v1/folders` shows it.
struct folder_info {
  std::string name;
};

BAIKAL_INSPECT("", folder_info, x.name)

/// Where a session's kernel lives: the HTTP API calls the agent directly for kernel operations.
struct kernel_route {
  session_id session;
  kernel_id kernel;
  agent_id agent;
  agent_actor handle;
};

BAIKAL_INSPECT("", kernel_route, x.session, x.kernel, x.agent, x.handle)

/// An agent as `GET /v1/agents` shows it.
/// Whether the scheduler keeps sessions away from an agent whose creations kept failing (see
/// actors/manager/agent_quarantine.hpp): `state` is "clear", "quarantined" (no placements for
/// `remaining_ms` more) or "probing" (the next placement, or the one under way, is the probe).
struct agent_quarantine_view {
  std::string state = "clear";
  std::string reason; ///< the last creation failure for a reason of the agent's own
  int64_t remaining_ms = 0;
  uint32_t failures = 0; ///< such failures in a row
};

BAIKAL_INSPECT("", agent_quarantine_view, x.state, x.reason, x.remaining_ms, x.failures)

struct agent_view {
  agent_record record;
  resource_slots used;
  agent_quarantine_view quarantine;
  bool drained = false; ///< an operator keeps new kernels off it (POST /v1/agents/{id}/drain)
};

BAIKAL_INSPECT("", agent_view, x.record, x.used, x.quarantine, x.drained)

namespace api {

/// Answers the new session's id; the session starts PENDING and moves on by itself.
struct create_session {
  session_request request;
};
BAIKAL_INSPECT("api::", create_session, x.request)

struct list_sessions {
  user_id owner;
  session_page page;
};
BAIKAL_INSPECT("api::", list_sessions, x.owner, x.page)

struct get_session {
  user_id owner;
  session_id session;
};
BAIKAL_INSPECT("api::", get_session, x.owner, x.session)

/// Every transition of the session with its time and reason, oldest first.
struct get_session_history {
  user_id owner;
  session_id session;
};
BAIKAL_INSPECT("api::", get_session_history, x.owner, x.session)

/// Answers once the termination is under way (TERMINATING); the session reaches TERMINATED when
/// its kernels and volatile network are gone.
struct terminate_session {
  user_id owner;
  session_id session;
};
BAIKAL_INSPECT("api::", terminate_session, x.owner, x.session)

/// The main kernel of a RUNNING session; another status is `invalid_argument` naming it.
/// `activity`: the call counts as activity against the session's idle_timeout.
struct main_kernel {
  user_id owner;
  session_id session;
  bool activity = false;
};
BAIKAL_INSPECT("api::", main_kernel, x.owner, x.session, x.activity)

/// Restarts the main kernel of a RUNNING session through its session actor, with the
/// launcher's creation config; answers the new kernel_info.
struct restart_session {
  user_id owner;
  session_id session;
};
BAIKAL_INSPECT("api::", restart_session, x.owner, x.session)

/// The stored output of an ended batch session; `ended_batch` is false for a session that is
/// not one (yet), whose logs are its main kernel's.
struct batch_output {
  user_id owner;
  session_id session;
};
BAIKAL_INSPECT("api::", batch_output, x.owner, x.session)

struct list_agents {};
BAIKAL_INSPECT("api::", list_agents)

/// The handle of a joined agent (for agent-level operations such as purge_images).
struct agent_handle {
  agent_id agent;
};
BAIKAL_INSPECT("api::", agent_handle, x.agent)

/// An operator (`by`, for the log) drains agent `agent` (no new kernels; its running ones stay)
/// or undrains it. not_found for an agent the manager does not know. The HTTP API lets only
/// admin users ask.
struct set_agent_drain {
  agent_id agent;
  bool drained = true;
  std::string by;
};
BAIKAL_INSPECT("api::", set_agent_drain, x.agent, x.drained, x.by)

/// Events reach `listener` until it terminates.
struct subscribe_events {
  event_sink_actor listener;
};
BAIKAL_INSPECT("api::", subscribe_events, x.listener)

/// The manager's own part of `/metrics`, in Prometheus text format.
struct get_metrics {};
BAIKAL_INSPECT("api::", get_metrics)

/// Answered while the front takes requests: its store is open then (they are linked, and
/// spawn_manager opens the store first). GET /v1/ready asks it.
struct check_ready {};
BAIKAL_INSPECT("api::", check_ready)

/// A new storage folder of `owner`; an existing name is a conflict.
struct create_folder {
  user_id owner;
  std::string name;
};
BAIKAL_INSPECT("api::", create_folder, x.owner, x.name)

struct list_folders {
  user_id owner;
};
BAIKAL_INSPECT("api::", list_folders, x.owner)

/// Removes a folder with its files; one that a live session of the owner mounts is a conflict.
struct delete_folder {
  user_id owner;
  std::string name;
};
BAIKAL_INSPECT("api::", delete_folder, x.owner, x.name)

} // namespace api

struct batch_output_answer {
  bool ended_batch = false;
  std::string output;
};
BAIKAL_INSPECT("", batch_output_answer, x.ended_batch, x.output)

using manager_actor =
    caf::typed_actor<caf::replies_to<api::create_session>::with<session_id>,
                     caf::replies_to<api::list_sessions>::with<std::vector<session_record>>,
                     caf::replies_to<api::get_session>::with<session_record>,
                     caf::replies_to<api::get_session_history>::with<std::vector<status_change>>,
                     caf::replies_to<api::terminate_session>::with<ack>,
                     caf::replies_to<api::main_kernel>::with<kernel_route>,
                     caf::replies_to<api::restart_session>::with<kernel_info>,
                     caf::replies_to<api::list_agents>::with<std::vector<agent_view>>,
                     caf::replies_to<api::agent_handle>::with<agent_actor>,
                     caf::replies_to<api::set_agent_drain>::with<ack>,
                     caf::replies_to<api::subscribe_events>::with<ack>,
                     caf::replies_to<api::follow_events>::with<event_replay>,
                     caf::replies_to<api::get_metrics>::with<std::string>,
                     caf::replies_to<api::check_ready>::with<ack>,
                     caf::replies_to<api::create_folder>::with<folder_info>,
                     caf::replies_to<api::list_folders>::with<std::vector<folder_info>>,
                     caf::replies_to<api::delete_folder>::with<ack>,

                     caf::replies_to<api::batch_output>::with<batch_output_answer>>;

} // namespace baikal
