#include "tools/baikal-manager/standing_by.hpp"

#include <atomic>
#include <csignal>
#include <thread>

#include <unistd.h>

#include "actors/manager/http/standby_api.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

std::string api_url_of(const api_settings& api) {
  auto host = api.host;
  if (host.empty() || host == "0.0.0.0" || host == "::") {
    char name[256] = {};
    host = gethostname(name, sizeof name - 1) == 0 && name[0] ? name : "localhost";
  }
  if (host.find(':') != std::string::npos)
    host = "[" + host + "]";
  return (api.tls.enabled() ? "https://" : "http://") + host + ":" + std::to_string(api.port);
}

lead_outcome lead_or_stand_by(caf::actor_system& sys, manager_config& cfg) {
  auto lg = log::get("manager");
  standby_api standby{sys, cfg.manager.store_url, cfg.api, cfg.manager.timeouts.store_load};
  auto port = standby.start();
  if (!port)
    return {std::move(port.error()), 0, {}};
  // A port picked by the system stays this manager's once it leads.
  cfg.api.port = *port;
  cfg.manager.lead_as = api_url_of(cfg.api);
  lg->info("the API serves on port {} while this manager stands by: session reads from the "
           "database, everything else sent to the manager that leads",
           *port);
  std::atomic<bool> stop{false};
  cfg.manager.stop_standing_by = [&stop] { return stop.load(); };
  cfg.manager.leader_seen = [&standby](const leader_info& who) { standby.view().saw(who.leader); };
  lead_outcome out;
  std::atomic<bool> done{false};
  std::thread waiting{[&] {
    out.handles = spawn_manager(sys, cfg.manager);
    done = true;
  }};
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  timespec tick{0, 100 * 1000 * 1000};
  while (!done) {
    auto sig = sigtimedwait(&set, nullptr, &tick);
    if (sig > 0 && !stop) {
      lg->info("signal {} received while standing by: stopping", sig);
      out.signal = sig;
      stop = true;
    }
  }
  waiting.join();
  if (out.handles && !out.signal)
    out.api_listener = standby.hand_over_port();
  standby.stop();
  cfg.manager.stop_standing_by = nullptr;
  cfg.manager.leader_seen = nullptr;
  return out;
}

} // namespace baikal
