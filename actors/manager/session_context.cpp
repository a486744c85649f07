#include "actors/manager/session_context.hpp"

#include <algorithm>
#include <utility>

#include "actors/manager/manager.hpp"

namespace baikal {

session_context make_session_context(const manager_settings& settings, manager_front_actor front,
                                     store_actor store, launcher_actor launcher,
                                     event_hub_actor hub, registry_actor registry) {
  session_context ctx;
  ctx.store = std::move(store);
  ctx.launcher = std::move(launcher);
  ctx.hub = std::move(hub);
  ctx.registry = std::move(registry);
  ctx.front = std::move(front);
  ctx.network_plugins = settings.network_plugins;
  ctx.default_network_driver = settings.default_network_driver;
  ctx.phase_probe_after = settings.phase_probe_after;
  ctx.started_events_grace = std::min(settings.started_events_grace, settings.phase_probe_after);
  ctx.session_start_timeout = settings.session_start_timeout;
  ctx.park_idle_after = settings.park_idle_after;
  ctx.launch_retries = static_cast<uint32_t>(std::max(settings.launch_retries, 0));
  ctx.keypairs = settings.keypairs;
  ctx.timeouts = settings.timeouts;
  ctx.timers = std::make_shared<session_timers>(session_tick_for(ctx));
  return ctx;
}

std::chrono::milliseconds session_tick_for(const session_context& ctx) {
  auto shortest = std::min({ctx.phase_probe_after, ctx.started_events_grace, ctx.park_idle_after});
  return std::clamp(shortest / 4, std::chrono::milliseconds{5}, std::chrono::milliseconds{100});
}

} // namespace baikal
