#pragma once

/// The manager node as one call: store, agent registry, scheduler, launcher, event hub and the
/// session actors behind `manager_actor`. The HTTP API, `baikal-manager` and `baikal-sim` all
/// start the manager through `spawn_manager`.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/expected.hpp>

#include "actors/manager/agent_quarantine.hpp"
#include "actors/manager/launcher.hpp"
#include "messages/image_types.hpp"
#include "messages/manager_interface.hpp"
#include "runtime/cluster/agent_identity.hpp"
#include "runtime/config/manager_timeouts.hpp"
#include "runtime/network/network_plugin.hpp"
#include "runtime/ssh/keypair.hpp"
#include "runtime/store/session_store.hpp"

namespace baikal {

struct manager_settings {
  /// SQLite file; ":memory:" for a store that dies with the process (simulation). Beside it
  /// the admin token and, by default, the storage folders.
  std::string store_path = "var/manager.db";
  /// A PostgreSQL URL (postgresql://...): the store is there instead of in store_path.
  std::string store_url;
  /// With a PostgreSQL store, the manager leads the managers that share it, as this name (its
  /// API address): spawn_manager waits while another leads, and the manager stops when it
  /// loses the lead. Empty: it uses the store alone (tests, benchmarks).
  std::string lead_as;
  /// A leader silent this long loses the lead to a standby.
  std::chrono::milliseconds lead_lease{2000};
  /// While it stands by: told who leads, and asked whether to stop waiting (lead_settings).
  std::function<void(const leader_info&)> leader_seen;
  std::function<bool()> stop_standing_by;
  /// Image configs by the reference users give; a reference not listed here is resolved from
  /// the reference itself (registry from its host part, no digest: pulled only when absent).
  std::map<std::string, image_config> images;
  std::string default_scaling_group = "default";
  std::string scheduling_policy = "concentrated"; ///< or "dispersed"
  std::chrono::milliseconds heartbeat_interval{2000};
  int missed_heartbeats_until_lost = 3;
  std::chrono::milliseconds session_start_timeout{1800 * 1000};
  /// How long a session waits for the next agent event of a phase before asking the agents
  /// (check_pulling / check_creating / check_running) and re-sending idempotent requests.
  std::chrono::milliseconds phase_probe_after{30 * 1000};
  /// How long a session whose start the launcher reported done waits for the kernel_started
  /// events still missing before it probes (at most phase_probe_after).
  std::chrono::milliseconds started_events_grace{1000};
  /// At most this many sessions are between their binding and RUNNING at once; the others wait
  /// PENDING in arrival order. Without a bound a burst floods the launcher, the agents and the
  /// shared scheduler threads at once: every session then takes as long as the whole burst, and
  /// agents' heartbeats queue behind it until the registry takes them for LOST.
  int max_starting = 512;
  /// A RUNNING session with nothing under way for this long parks: its actor ends, the front
  /// keeps its spec and spawns the actor again when the session is asked for something (a
  /// termination, a kernel event). Idle sessions then cost no actor each. Zero parks at once.
  std::chrono::milliseconds park_idle_after{10 * 1000};
  /// The idle_timeout of sessions whose request names none: a RUNNING session with no activity
  /// (idle_clock.hpp) for this long is terminated with reason idle-timeout. Zero: never.
  std::chrono::seconds default_idle_timeout{0};
  /// A session whose kernels failed for reasons of their agents' own (not a missing image, not
  /// a bad request) is placed again, on other agents when any has room, this many times before
  /// it ends ERROR with every attempt's error in its status_data (launch_retry.hpp).
  int launch_retries = 2;
  /// When an agent whose creations keep failing gets no placements (agent_quarantine.hpp).
  quarantine_settings quarantine;
  /// Network plugins by driver name for MULTI_NODE sessions (see runtime/network).
  network_plugin_registry network_plugins;
  std::string default_network_driver = "overlay";
  /// The cluster keypairs the keygen workers make when `keypairs` is empty: RSA-2048, as the
  /// reference makes them (~175 ms each here, so a few launches a second per worker once the
  /// pairs made ahead are gone), or Ed25519 (~0.05 ms).
  ssh::cluster_key_type cluster_key_type = ssh::cluster_key_type::rsa;
  /// The detached threads that make them, and how many pairs each keeps made ahead (made while
  /// the manager is idle, so that a burst of that many sessions does not wait for RSA).
  int keygen_workers = 2;
  int cluster_keys_made_ahead = 2;
  /// Empty for real cluster keypairs of `cluster_key_type`; the simulation and the benchmarks
  /// hand in a ready pair.
  keypair_source keypairs;
  /// With TLS between nodes: the registry lets a node register only as the agent its
  /// certificate names (agent_identity.hpp). Empty: no identity check.
  std::shared_ptr<const cluster::identity_verifier> agent_identity;
  /// How long the manager's actors wait for each kind of answer.
  manager_timeouts timeouts;
  /// [storage] root: users' storage folders are `{storage_root}/{user uuid}/{name}`, a path
  /// every agent sees at the same place. Empty: no folders, and sessions mount none.
  std::string storage_root;
};

struct manager_handles {
  manager_actor front;
  agent_registry_actor registry;
};

/// How many messages an actor of the manager handles before its scheduler thread moves on to
/// the next actor. CAF's default is unbounded: the front then keeps its thread for a whole burst
/// of create_session, and whatever waits in that thread's queue (the agent registry with the
/// agents' heartbeats) waits with it, so healthy agents were taken for LOST under load.
constexpr int manager_max_throughput = 300;

/// Sets the scheduler of a process hosting a manager: manager_max_throughput, and CAF's
/// work-sharing policy (one queue for every thread) instead of work stealing. A stealing thread
/// takes the tail of another thread's queue, a singly linked list that CAF 0.17 walks from its
/// head to find the new tail, under the lock its owner needs too. When one actor makes many
/// others runnable at once (the front stopping 100,000 session actors, or binding a batch of
/// them), each steal walks the whole queue: stopping a manager with 100,000 sessions took two
/// minutes with both threads spinning, and 2 s with work sharing, at the same throughput.
void configure_manager_scheduler(caf::actor_system_config& cfg);

/// Opens the store (failing here for a bad path), recovers the sessions it holds, and spawns the
/// manager's actors.
caf::expected<manager_handles> spawn_manager(caf::actor_system& sys,
                                             const manager_settings& settings);

} // namespace baikal
