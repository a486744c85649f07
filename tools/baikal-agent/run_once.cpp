#include "tools/baikal-agent/run_once.hpp"

#include <chrono>
#include <iostream>
#include <random>

#include <caf/scoped_actor.hpp>

#include "messages/errors.hpp"

namespace baikal {

namespace {

template <class Result, class Request>
caf::expected<Result> ask(caf::scoped_actor& self, const agent_actor& agent, Request req) {
  caf::expected<Result> out{caf::error{}};
  self->request(agent, std::chrono::minutes(30), std::move(req))
      .receive([&](Result& r) { out = std::move(r); }, [&](caf::error& e) { out = std::move(e); });
  return out;
}

std::string random_id() {
  std::random_device rd;
  std::mt19937_64 gen{rd()};
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(gen()));
  return buf;
}

void print(const execution_result& res) {
  for (auto& item : res.console)
    (item.stream == "stderr" ? std::cerr : std::cout) << item.data << std::flush;
}

} // namespace

int run_once(caf::actor_system& sys, const agent_actor& agent, const std::string& image,
             const std::string& code) {
  caf::scoped_actor self{sys};
  auto kernel = "k-" + random_id();
  auto session = "s-" + random_id();
  kernel_creation_config cfg;
  cfg.kernel = kernel;
  cfg.session = session;
  cfg.image.canonical = image;
  cfg.image.auto_pull = auto_pull_policy::tag;
  cfg.role = cluster_role::main;
  cfg.cluster_hostname = "main1";
  cfg.environ = {{"BACKENDAI_SESSION_ID", session},
                 {"BACKENDAI_KERNEL_ID", kernel},
                 {"BACKENDAI_CLUSTER_SIZE", "1"},
                 {"BACKENDAI_CLUSTER_ROLE", to_string(cluster_role::main)}};
  std::cerr << "baikal-agent: starting a kernel of " << image << "...\n";
  auto created = ask<created_kernels>(
      self, agent, op::create_kernels{session, {kernel}, {cfg}, cluster_info{}, {}});
  if (!created) {
    std::cerr << "baikal-agent: " << message_of(created.error()) << "\n";
    return 1;
  }
  int exit_code = 1;
  op::execute req{session, kernel, 4, "", execution_mode::query, code, {}, 10.0};
  for (;;) {
    auto res = ask<execution_result>(self, agent, req);
    if (!res) {
      std::cerr << "baikal-agent: " << message_of(res.error()) << "\n";
      break;
    }
    print(*res);
    if (res->status != "continued") {
      exit_code = res->exit_code ? *res->exit_code : 1;
      break;
    }
    req.mode = execution_mode::continue_;
    req.run_id = res->run_id;
  }
  auto destroyed = ask<ack>(
      self, agent, op::destroy_kernel{kernel, session, lifecycle_reason::user_requested, false});
  if (!destroyed)
    std::cerr << "baikal-agent: " << message_of(destroyed.error()) << "\n";
  return exit_code;
}

} // namespace baikal
