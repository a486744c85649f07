#pragma once

/// What every session actor of a manager shares: the manager's actors it talks to and the
/// settings that shape its lifecycle.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "actors/manager/launcher.hpp"
#include "actors/manager/session_census.hpp"
#include "actors/manager/session_timers.hpp"
#include "actors/manager/store_actor.hpp"
#include "messages/manager_internal_interface.hpp"
#include "runtime/config/manager_timeouts.hpp"

namespace baikal {

struct manager_settings;

/// What every session actor shares.
struct session_context {
  store_actor store;
  launcher_actor launcher;
  event_hub_actor hub;
  registry_actor registry;
  manager_front_actor front;
  network_plugin_registry network_plugins;
  std::string default_network_driver = "overlay";
  std::chrono::milliseconds phase_probe_after{30 * 1000};
  /// The report of a start often comes before its kernel_started events: the agents send them
  /// and answer create_kernels at once. See manager_settings.
  std::chrono::milliseconds started_events_grace{1000};
  std::chrono::milliseconds session_start_timeout{1800 * 1000};
  std::chrono::milliseconds park_idle_after{10 * 1000}; ///< see manager_settings
  uint32_t launch_retries = 2;                          ///< see manager_settings
  /// Keys for kernels created again after a probe; empty: they get none (see session_resend).
  keypair_source keypairs;
  manager_timeouts timeouts; ///< see manager_settings
  /// Where each session counts its moves (the front's metrics hold the same census).
  std::shared_ptr<session_census> census = std::make_shared<session_census>();
  /// The sessions' timers, fired by the front's session ticker.
  std::shared_ptr<session_timers> timers;
};

/// How often the session ticker fires the timers of sessions in `ctx`: a quarter of the
/// shortest of them, between 5 and 100 ms (a timer fires at most one tick late).
std::chrono::milliseconds session_tick_for(const session_context& ctx);

/// The context of the sessions of `front`, which `settings` shape.
session_context make_session_context(const manager_settings& settings, manager_front_actor front,
                                     store_actor store, launcher_actor launcher,
                                     event_hub_actor hub, registry_actor registry);

} // namespace baikal
