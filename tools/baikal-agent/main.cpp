// baikal-agent: one host's agent. Serves the agent interface over CAF's middleman, or runs a
// single session with --run.

#include <csignal>
#include <cstdlib>
#include <iostream>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/publish.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/agent/docker/docker_actor.hpp"
#include "actors/agent/kernel_recovery.hpp"
#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"
#include "tools/baikal-agent/agent_options.hpp"
#include "tools/baikal-agent/run_once.hpp"

using namespace baikal;

namespace {

/// Blocks until SIGTERM or SIGINT arrives; answers the signal.
int wait_for_stop_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

int serve(caf::actor_system& sys, const agent_actor& agent, const agent_config& cfg) {
  auto port = caf::io::publish(agent, cfg.rpc_listen_addr.port, cfg.rpc_listen_addr.host.c_str(),
                               true);
  if (!port) {
    log::get("agent")->error("cannot listen on {}:{}: {}", cfg.rpc_listen_addr.host,
                             cfg.rpc_listen_addr.port, sys.render(port.error()));
    return 1;
  }
  log::get("agent")->info("agent {} serves on {}:{}", cfg.id, cfg.rpc_listen_addr.host, *port);
  auto sig = wait_for_stop_signal();
  log::get("agent")->info("signal {} received; shutting down", sig);
  caf::scoped_actor self{sys};
  self->request(agent, std::chrono::minutes(5), op::shutdown{sig})
    .receive([](ack) {},
             [](caf::error& err) {
               log::get("agent")->error("shutdown failed: {}", message_of(err));
             });
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::string error;
  auto opts = parse_agent_options(argc, argv, error);
  if (!opts || opts->help) {
    std::cerr << (opts ? "" : "baikal-agent: " + error + "\n") << agent_usage();
    return opts ? 0 : 2;
  }
  auto cfg = opts->config_path.empty() ? caf::expected<agent_config>{default_agent_config()}
                                       : load_agent_config(opts->config_path);
  if (!cfg) {
    std::cerr << "baikal-agent: " << message_of(cfg.error()) << "\n";
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
  sys_cfg.load<caf::io::middleman>();
  caf::actor_system sys{sys_cfg};
  docker::engine_options engine;
  engine.socket_path = std::getenv("DOCKER_HOST") ? std::string{} : cfg->docker_socket;
  auto docker = spawn_docker_actor(sys, engine);
  auto settings = to_agent_settings(*cfg, find_kernel_runner(opts->runner_path));
  // Kernels that survived a crash are served again before the agent takes any request.
  auto recovered = recover_kernels(sys, settings, docker);
  auto agent = spawn_agent(sys, settings, docker, event_sink_actor{}, std::move(recovered));
  int rc = opts->run_image.empty() ? serve(sys, agent, *cfg)
                                   : run_once(sys, agent, opts->run_image, opts->run_code);
  caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(docker, caf::exit_reason::user_shutdown);
  return rc;
}
