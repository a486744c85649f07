// baikal-agent: one host's agent. Serves the agent interface over CAF's middleman, or runs a
// single session with --run.

#include <csignal>
#include <cstdlib>
#include <iostream>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>

#include "actors/agent/agent.hpp"
#include "actors/agent/kernel_recovery.hpp"
#include "actors/agent/manager_link.hpp"
#include "actors/agent/socket_paths.hpp"
#include "actors/docker/docker_actor.hpp"
#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "runtime/cluster/agent_identity.hpp"
#include "runtime/cluster/node.hpp"
#include "runtime/cluster/process_stop.hpp"
#include "runtime/docker/connection.hpp"
#include "runtime/logging/log.hpp"
#include "tools/baikal-agent/agent_options.hpp"
#include "tools/baikal-agent/run_once.hpp"
#include "tools/baikal-agent/serve.hpp"

using namespace baikal;

int main(int argc, char** argv) {
  std::string error;
  auto opts = parse_agent_options(argc, argv, error);
  if (!opts || opts->help) {
    std::cerr << (opts ? "" : "baikal-agent: " + error + "\n") << agent_usage();
    return opts ? 0 : 2;
  }
  auto cfg = opts->config_path.empty() ? caf::expected<agent_config>{default_agent_config()}
                                       : load_agent_config(opts->config_path);
  if (cfg)
    cfg = apply_agent_options(std::move(*cfg), *opts);
  if (!cfg) {
    std::cerr << "baikal-agent: " << message_of(cfg.error()) << "\n";
    return 2;
  }
  if (!cfg->ignored_keys.empty()) {
    std::string keys;
    for (auto& k : cfg->ignored_keys)
      keys += (keys.empty() ? "" : ", ") + k;
    log::get("agent")->warn("{}: ignoring keys Baikal does not use: {}", cfg->config_path, keys);
  }
  // CAF's OpenSSL module fails badly on unusable files (hangs, aborts): check them first.
  if (auto err = cluster::validate_tls(tls_of(*cfg))) {
    std::cerr << "baikal-agent: " << message_of(err) << "\n";
    return 2;
  }
  // The manager takes a TLS node only as the agent its certificate names: say so now rather
  // than at every refused registration.
  std::shared_ptr<const cluster::identity_signer> identity;
  if (tls_of(*cfg).enabled() && opts->run_image.empty()) {
    auto signer = cluster::identity_signer::load(tls_of(*cfg));
    auto err = signer ? (*signer)->check_names(cfg->id) : signer.error();
    if (err) {
      std::cerr << "baikal-agent: " << message_of(err) << "\n";
      return 2;
    }
    identity = std::move(*signer);
  }
  docker::engine_options engine;
  engine.socket_path = std::getenv("DOCKER_HOST") ? std::string{} : cfg->docker_socket;
  auto settings = to_agent_settings(*cfg, find_kernel_runner(opts->runner_path));
  if (auto err = check_agent_socket_paths(settings, docker::socket_path_from(engine.socket_path))) {
    std::cerr << "baikal-agent: " << message_of(err) << "\n";
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
  configure_agent_scheduler(sys_cfg);
  cluster::configure_node(sys_cfg, tls_of(*cfg));
  caf::actor_system sys{sys_cfg};
  auto docker = spawn_docker_actor(sys, engine);
  // Kernels that survived a crash are served again before the agent takes any request.
  auto recovered = recover_kernels(sys, settings, docker);
  bool serving = opts->run_image.empty();
  // A serving agent's events go to the manager through its link; --run has no manager.
  manager_link_actor link;
  if (serving) {
    manager_link_settings ls;
    ls.id = settings.id;
    ls.scaling_group = settings.scaling_group;
    ls.managers = cfg->manager_addresses;
    ls.tls = tls_of(*cfg);
    ls.identity = identity;
    // Commands from a manager the link no longer follows (one that lost the lead) are refused.
    auto followed = std::make_shared<followed_manager>();
    ls.followed = followed;
    settings.followed = followed;
    link = spawn_manager_link(sys, std::move(ls));
  }
  auto agent = spawn_agent(sys, settings, docker, link, std::move(recovered));
  int rc = serving ? serve(sys, agent, link, docker, *cfg)
                   : run_once(sys, agent, opts->run_image, opts->run_code);
  caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  if (link)
    caf::anon_send_exit(link, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(docker, caf::exit_reason::user_shutdown);
  // The actor system waits for every actor when it goes; a runner call still under way (a batch
  // run holds one for up to ten minutes) must not keep the process up that long.
  cluster::exit_after(std::chrono::seconds(30), rc);
  return rc;
}
