// baikal-manager: the manager node. Agents join its registry over CAF's middleman (TLS when
// configured); users drive it through the HTTP API.

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/docker/docker_actor.hpp"
#include "actors/manager/http/http_api.hpp"
#include "actors/manager/manager.hpp"
#include "actors/manager/overlay_network_plugin.hpp"
#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "runtime/cluster/agent_identity.hpp"
#include "runtime/cluster/node.hpp"
#include "runtime/cluster/process_stop.hpp"
#include "runtime/cluster/registry_endpoint.hpp"
#include "runtime/logging/log.hpp"
#include "runtime/paths/socket_path.hpp"
#include "tools/baikal-manager/manager_config.hpp"
#include "tools/baikal-manager/manager_options.hpp"
#include "tools/baikal-manager/standing_by.hpp"

using namespace baikal;

namespace {

std::string random_token() {
  static constexpr char digits[] = "0123456789abcdef";
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 40; ++i)
    out.push_back(digits[rd() % 16]);
  return out;
}

/// With no [[users]], one "admin" user whose token is kept beside the store, so that a manager
/// started without any file can still be used (and its token survives a restart).
caf::error ensure_a_user(manager_config& cfg) {
  if (!cfg.api.users.empty())
    return {};
  auto dir = std::filesystem::path{cfg.manager.store_path}.parent_path();
  auto file = dir / "admin.token";
  std::string token;
  if (std::ifstream in{file}; in)
    std::getline(in, token);
  if (token.size() < 8) {
    token = random_token();
    std::ofstream out{file, std::ios::trunc};
    out << token << "\n";
    if (!out)
      return make_error(errc::runtime_error, "cannot write " + file.string());
    std::filesystem::permissions(file, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write);
  }
  cfg.api.users.push_back(
      api_user{"admin", "00000000-0000-0000-0000-000000000001", token, /*admin=*/true});
  log::get("manager")->info("no [[users]] configured: user \"admin\" has the token in {}",
                            file.string());
  return {};
}

caf::error apply_options(const manager_options& opts, manager_config& cfg) {
  if (!opts.api_listen.empty()) {
    auto addr = cluster::parse_host_port(opts.api_listen);
    if (!addr)
      return addr.error();
    cfg.api.host = addr->host;
    cfg.api.port = addr->port;
  }
  if (!opts.agents_listen.empty()) {
    auto addr = cluster::parse_host_port(opts.agents_listen);
    if (!addr)
      return addr.error();
    cfg.agents.listen = *addr;
  }
  if (!opts.store_path.empty())
    cfg.manager.store_path = opts.store_path;
  return {};
}

/// The `overlay` plugin on the swarm manager engine of [network] docker-socket, if one is
/// configured; the Docker actor it uses comes back too, for stopping.
docker_actor register_overlay_plugin(caf::actor_system& sys, manager_config& cfg) {
  if (cfg.network_docker_socket.empty()) {
    log::get("manager")->info("no [network] docker-socket: multi-node sessions have no overlay "
                              "network plugin");
    return {};
  }
  auto docker = spawn_docker_actor(sys, {cfg.network_docker_socket});
  cfg.manager.network_plugins.add(
      "overlay",
      spawn_overlay_network_plugin(sys, docker, cfg.manager.timeouts.network_plugin_call));
  return docker;
}

int serve(caf::actor_system& sys, manager_config& cfg, const manager_options& opts) {
  auto lg = log::get("manager");
  auto network_docker = register_overlay_plugin(sys, cfg);
  auto stop_plugins = [&] {
    for (auto& [driver, plugin] : cfg.manager.network_plugins.plugins())
      caf::anon_send_exit(plugin, caf::exit_reason::user_shutdown);
    if (network_docker)
      caf::anon_send_exit(network_docker, caf::exit_reason::user_shutdown);
  };
  // Managers sharing a PostgreSQL store: one leads, the others stand by until it is gone.
  auto lead = cfg.manager.store_url.empty() ? lead_outcome{spawn_manager(sys, cfg.manager), 0, {}}
                                            : lead_or_stand_by(sys, cfg);
  auto& handles = lead.handles;
  if (handles && lead.signal) {
    caf::scoped_actor self{sys};
    caf::anon_send_exit(handles->front, caf::exit_reason::user_shutdown);
    self->wait_for(handles->front, handles->registry);
  }
  if (lead.signal) {
    stop_plugins();
    lg->info("stopped");
    return 0;
  }
  if (!handles) {
    lg->error("cannot start the manager: {}", message_of(handles.error()));
    stop_plugins();
    return 1;
  }
  auto stop_manager = [&] {
    caf::scoped_actor self{sys};
    caf::anon_send_exit(handles->front, caf::exit_reason::user_shutdown);
    self->wait_for(handles->front, handles->registry);
    stop_plugins();
  };
  auto agents_port = cluster::publish_registry(sys, handles->registry, cfg.agents);
  if (!agents_port) {
    lg->error("{}", message_of(agents_port.error()));
    stop_manager();
    return 1;
  }
  http_api api{sys, handles->front, cfg.api};
  auto api_port = api.start(std::move(lead.api_listener));
  if (!api_port) {
    lg->error("{}", message_of(api_port.error()));
    stop_manager();
    return 1;
  }
  lg->info("agents join on {}:{}{}; the API serves on {}://{}:{}{}", cfg.agents.listen.host,
           *agents_port, cfg.agents.tls.enabled() ? " (TLS)" : "",
           cfg.api.tls.enabled() ? "https" : "http", cfg.api.host, *api_port,
           cfg.api.tls.client_ca.empty() ? "" : " (client certificates required)");
  if (!opts.port_file.empty()) {
    std::ofstream out{opts.port_file, std::ios::trunc};
    out << *api_port << " " << *agents_port << "\n";
  }
  // The front is linked to the store, launcher, hub and registry: any of them failing ends it.
  auto cause = cluster::wait_for_stop(
      sys, {{"the manager front", caf::actor_cast<caf::actor>(handles->front)},
            {"the agent registry", caf::actor_cast<caf::actor>(handles->registry)}});
  if (cause.signal)
    lg->info("signal {} received: finishing requests in flight, then stopping", cause.signal);
  else
    for (auto& [actor, reason] : cause.ended)
      lg->error("{} ended ({}); the manager process exits so that it is started again", actor,
                reason ? sys.render(reason) : "normally");
  api.stop();
  stop_manager();
  lg->info("stopped");
  return cluster::exit_code_of(cause);
}

} // namespace

int main(int argc, char** argv) {
  std::string error;
  auto opts = parse_manager_options(argc, argv, error);
  if (!opts || opts->help) {
    std::cerr << (opts ? "" : "baikal-manager: " + error + "\n") << manager_usage();
    return opts ? 0 : 2;
  }
  auto cfg = opts->config_path.empty() ? caf::expected<manager_config>{default_manager_config()}
                                       : load_manager_config(opts->config_path);
  if (!cfg) {
    std::cerr << "baikal-manager: " << message_of(cfg.error()) << "\n";
    return 2;
  }
  if (auto err = apply_options(*opts, *cfg)) {
    std::cerr << "baikal-manager: " << message_of(err) << "\n";
    return 2;
  }
  settle_storage_root(*cfg);
  if (auto err = cluster::validate_tls(cfg->agents.tls)) {
    std::cerr << "baikal-manager: " << message_of(err) << "\n";
    return 2;
  }
  if (auto why = paths::unreachable_socket_path(cfg->network_docker_socket);
      !cfg->network_docker_socket.empty() && !why.empty()) {
    std::cerr << "baikal-manager: [network] docker-socket: " << why << "\n";
    return 2;
  }
  // TLS tells that a node belongs to the cluster, not which agent it is: the registry checks.
  if (cfg->agents.tls.enabled()) {
    auto verifier = cluster::identity_verifier::load(cfg->agents.tls);
    if (!verifier) {
      std::cerr << "baikal-manager: " << message_of(verifier.error()) << "\n";
      return 2;
    }
    cfg->manager.agent_identity = std::move(*verifier);
  }
  std::error_code ec;
  auto dir = std::filesystem::path{cfg->manager.store_path}.parent_path();
  if (!dir.empty())
    std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "baikal-manager: cannot create " << dir << ": " << ec.message() << "\n";
    return 2;
  }
  if (auto err = ensure_a_user(*cfg)) {
    std::cerr << "baikal-manager: " << message_of(err) << "\n";
    return 2;
  }
  // Signals are taken by sigwait in serve(); block them before any thread starts.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  caf::actor_system_config sys_cfg;
  announce_message_types(sys_cfg);
  cluster::configure_node(sys_cfg, cfg->agents.tls);
  configure_manager_scheduler(sys_cfg);
  caf::actor_system sys{sys_cfg};
  auto rc = serve(sys, *cfg, *opts);
  // The actor system waits for every actor when it goes: bounded, so a stuck one cannot keep
  // the process from restarting.
  cluster::exit_after(std::chrono::seconds(60), rc);
  return rc;
}
