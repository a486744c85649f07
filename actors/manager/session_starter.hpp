#pragma once

/// One session's start (the reference's _start_single_session), as a short-lived actor the
/// launcher spawns per session and asks with the session start timeout.
///
/// Steps, each a request whose answer triggers the next:
///   1. check: kernels present, every image resolved (else invalid_argument);
///   2. network by type and mode (launch_plan.hpp): the agent's create_local_network, the
///      driver's plugin, assign_port per kernel, or nothing;
///   3. repository.update_session_network_id (always, empty for the default network);
///   4. the cluster SSH keypair from a keygen worker (the session is told when it will wait for
///      it, keygen_gauge.hpp);
///   5. one create_kernels per agent, all at once.
/// Any failure writes the session's error info, answers the outcome with every failure (which
/// agent, which code) and stops; the session is not terminated here (the session actor decides:
/// it may place the session again). Success answers an outcome without error and stops.

#include <memory>
#include <vector>

#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/manager/launch_plan.hpp"
#include "actors/manager/launcher.hpp"
#include "actors/manager/ssh_keygen.hpp"
#include "actors/supervision/guarded_promise.hpp"

namespace baikal {

using start_atom = caf::atom_constant<caf::atom("start")>;
/// Sent to itself by a starter whose keypair wait had no estimate (keygen_gauge.hpp).
using keypair_wait_check_atom = caf::atom_constant<caf::atom("kpwait")>;

using session_starter_actor =
    caf::typed_actor<caf::replies_to<start_atom>::with<session_start_outcome>,
                     caf::reacts_to<keypair_wait_check_atom>>;

/// What every starter shares; the launcher replaces it when agents change, or changes it in
/// place when no starter holds it.
struct starter_context {
  launcher_config cfg;
  agent_directory agents;
  session_repository_actor repository;
  network_plugin_registry network_plugins;
  std::vector<keygen_worker> keygen;
};

struct starter_state {
  scheduled_session session;
  std::map<kernel_id, image_config> images;
  network_config network;
  std::string network_name; ///< what update_session_network_id records
  std::map<std::string, host_port> ssh_ports;
  guarded_promise<session_start_outcome> rp;
  start_progress_sink progress; ///< may be invalid
  bool keypair_came = false;
  bool keypair_wait_told = false;
  static inline const char* name = "session_starter";
};

using session_starter_ptr = session_starter_actor::stateful_pointer<starter_state>;

session_starter_actor::behavior_type
session_starter(session_starter_ptr self, std::shared_ptr<const starter_context> ctx,
                scheduled_session session, std::shared_ptr<const launch::image_configs> images,
                start_progress_sink progress);

} // namespace baikal
