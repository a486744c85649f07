#include "actors/manager/manager.hpp"

#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/manager/agent_registry.hpp"
#include "actors/manager/event_hub.hpp"
#include "actors/manager/manager_front.hpp"
#include "actors/manager/scheduler.hpp"
#include "actors/manager/store_actor.hpp"
#include "messages/errors.hpp"

namespace baikal {

namespace {

/// Asks the store once, blocking: spawn_manager runs before the manager serves anyone.
template <class Result, class Request>
caf::expected<Result> ask_store(caf::actor_system& sys, const store_actor& store,
                                std::chrono::seconds timeout, Request req) {
  caf::expected<Result> out{caf::error{}};
  caf::scoped_actor self{sys};
  self->request(store, timeout, std::move(req))
      .receive([&](Result& r) { out = std::move(r); },
               [&](caf::error& err) { out = std::move(err); });
  return out;
}

} // namespace

void configure_manager_scheduler(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-throughput", manager_max_throughput);
  cfg.set("scheduler.policy", caf::atom("sharing"));
}

caf::expected<manager_handles> spawn_manager(caf::actor_system& sys,
                                             const manager_settings& settings) {
  if (auto policy = sched::policy_from(settings.scheduling_policy); !policy)
    return std::move(policy.error());
  if (settings.missed_heartbeats_until_lost < 1 || settings.heartbeat_interval.count() <= 0)
    return make_error(errc::invalid_argument,
                      "heartbeat_interval and missed_heartbeats_until_lost must be positive");
  if (settings.launch_retries < 0 || settings.quarantine.failures_until_quarantine < 0 ||
      settings.quarantine.first_backoff.count() <= 0 ||
      settings.quarantine.max_backoff < settings.quarantine.first_backoff)
    return make_error(errc::invalid_argument,
                      "launch_retries and the quarantine's failure count must not be negative, "
                      "and its first back-off must be positive and at most its maximum");
  auto location = settings.store_url.empty() ? settings.store_path : settings.store_url;
  lead_settings lead;
  lead.who = settings.lead_as;
  lead.lease = settings.lead_lease;
  lead.seen = settings.leader_seen;
  lead.stop_waiting = settings.stop_standing_by;
  auto store = settings.lead_as.empty() ? spawn_store(sys, location)
                                        : spawn_leading_store(sys, location, lead);
  if (!store)
    return std::move(store.error());
  auto stop_store = [&] { caf::anon_send_exit(*store, caf::exit_reason::user_shutdown); };
  auto agents = ask_store<std::vector<agent_record>>(sys, *store, settings.timeouts.store_load,
                                                     repo::list_agents{});
  auto sessions = ask_store<std::vector<session_record>>(sys, *store, settings.timeouts.store_load,
                                                         repo::list_sessions{});
  auto drained = ask_store<std::vector<agent_id>>(sys, *store, settings.timeouts.store_load,
                                                  repo::list_drained_agents{});
  if (!agents || !sessions || !drained) {
    stop_store();
    return !agents     ? std::move(agents.error())
           : !sessions ? std::move(sessions.error())
                       : std::move(drained.error());
  }
  std::vector<stored_folder> folders;
  if (!settings.storage_root.empty()) {
    auto scanned = scan_storage_root(settings.storage_root);
    if (!scanned) {
      stop_store();
      return std::move(scanned.error());
    }
    folders = std::move(*scanned);
  }
  auto counters = std::make_shared<event_counters>();
  auto hub = spawn_event_hub(sys, counters, default_event_replay_capacity, event_ids_from_clock());
  launcher_config lcfg;
  lcfg.session_start_timeout = settings.session_start_timeout;
  lcfg.pull_request_timeout = settings.timeouts.image_pull_request;
  lcfg.default_network_driver = settings.default_network_driver;
  lcfg.keygen_workers = static_cast<size_t>(std::max(settings.keygen_workers, 1));
  lcfg.keypairs_made_ahead = static_cast<size_t>(std::max(settings.cluster_keys_made_ahead, 0));
  auto keypairs = settings.keypairs;
  if (!keypairs)
    keypairs = [type = settings.cluster_key_type] { return ssh::generate_cluster_keypair(type); };
  auto launcher =
      spawn_launcher(sys, lcfg, launcher_deps{{}, *store, settings.network_plugins, keypairs});
  auto registry = spawn_agent_registry(
      sys,
      registry_settings{settings.heartbeat_interval, settings.missed_heartbeats_until_lost,
                        settings.agent_identity, settings.timeouts},
      registry_deps{*store, launcher, hub, std::move(*agents)});
  auto front = spawn_manager_front(sys, settings,
                                   front_deps{*store, launcher, hub, registry, counters,
                                              std::move(*sessions), std::move(*drained),
                                              std::move(folders)});
  caf::anon_send(registry, reg::set_front{front});
  caf::anon_send(hub, hub::set_front{front});
  return manager_handles{front, registry};
}

} // namespace baikal
