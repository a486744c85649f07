#include "actors/agent/kernel_network.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include "actors/agent/network_names.hpp"
#include "actors/supervision/blocking_task.hpp"
#include "messages/errors.hpp"
#include "runtime/firewall/host_fence.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

/// The engine's bridge between the host and every overlay container (swarm mode).
constexpr const char* gateway_bridge_network = "docker_gwbridge";

/// Modes that put the container in a namespace that is not a network of its own.
bool has_own_network(const std::string& mode) {
  return !mode.empty() && mode != "host" && mode != "none" && mode.rfind("container:", 0) != 0;
}

/// One kernel's network made ready; each step is one asynchronous request.
struct network_preparation : std::enable_shared_from_this<network_preparation> {
  agent_pointer self;
  std::string name;
  std::string target; ///< what is inspected: the name, or the kept id once duplicates were seen
  std::function<void(caf::error)> done;
  bool made = false;         ///< the kernel network was made (or found made) by a create here
  bool deduplicated = false; ///< networks sharing its name were removed here
  bool refound = false;      ///< the kept network was gone and it was looked up by name again

  bool is_kernel_network() const { return name == kernel_network_name; }

  void inspect() {
    auto job = shared_from_this();
    self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                  docker::network_inspect(target))
        .then(
            [job](const docker_reply& reply) {
              auto info = docker::parse_network_info(reply.body);
              if (!info)
                return job->done(info.error());
              if (job->is_kernel_network())
                job->self->state.kernel_network_id = info->id;
              job->check(*info);
            },
            [job](caf::error& err) {
              // The network kept after duplicates went meanwhile (another agent of the engine
              // removed it, or made the kernel network anew): look it up by its name again.
              if (code_of(err) == errc::not_found && job->is_kernel_network() &&
                  job->target != job->name && !job->refound) {
                log::get("agent")->info("the kernel network {} ({}) is gone; looking it up by "
                                        "name again",
                                        job->name, job->target);
                job->refound = true;
                job->deduplicated = false;
                job->made = false;
                job->target = job->name;
                return job->inspect();
              }
              if (code_of(err) == errc::not_found && job->is_kernel_network() && !job->made)
                return job->make();
              if (names_ambiguous_network(err) && job->is_kernel_network() && !job->deduplicated)
                return job->deduplicate();
              job->done(std::move(err));
            });
  }

  /// Two kernel networks: every agent keeps the one with the lowest id and removes the others
  /// (one another agent removed first, or that has containers already, stays; kernels join the
  /// kept one by its id, so one that stays does no harm).
  void deduplicate() {
    auto job = shared_from_this();
    deduplicated = true;
    self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                  docker::network_list({{"name", {name}}}))
        .then(
            [job](const docker_reply& reply) {
              auto listed = docker::parse_network_list(reply.body);
              if (!listed)
                return job->done(listed.error());
              auto extra = duplicate_networks(*listed, job->name);
              if (auto kept = kept_network(*listed, job->name); !kept.empty())
                job->target = kept;
              job->remove(std::move(extra));
            },
            [job](caf::error& err) { job->done(std::move(err)); });
  }

  void remove(std::vector<std::string> ids) {
    if (ids.empty())
      return inspect();
    auto job = shared_from_this();
    auto id = ids.back();
    ids.pop_back();
    log::get("agent")->warn("removing network {} ({}): another network has its name", id, name);
    self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                  docker::network_delete(id))
        .then([job, ids](const docker_reply&) mutable { job->remove(std::move(ids)); },
              [job, ids, id](caf::error& err) mutable {
                if (code_of(err) != errc::not_found)
                  log::get("agent")->warn("could not remove network {}: {}", id, message_of(err));
                job->remove(std::move(ids));
              });
  }

  void make() {
    auto job = shared_from_this();
    made = true;
    self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                  docker::network_create(kernel_network_spec()))
        .then(
            [job](const docker_reply&) {
              log::get("agent")->info("created the kernel network {}", job->name);
              job->inspect();
            },
            [job](caf::error& err) {
              if (code_of(err) == errc::conflict) // another agent of the engine made it first
                return job->inspect();
              job->done(std::move(err));
            });
  }

  void check(const docker::network_info& info) {
    if (is_kernel_network() && !docker::isolates_containers(info))
      return done(make_error(
          errc::conflict,
          "network " + name +
              " lets its containers reach each other (com.docker.network.bridge.enable_icc is "
              "not false), so kernels of different sessions could connect: remove it "
              "(docker network rm " +
              name + ") and the agent makes it again"));
    if (info.driver == "overlay")
      return fence_gateway_bridge();
    auto device = docker::bridge_device_of(info);
    if (device.empty()) {
      log::get("agent")->warn("network {} (driver {}) has no bridge device to fence: its "
                              "kernels can connect to this host",
                              name, info.driver);
      return done(caf::none);
    }
    fence(device);
  }

  void fence_gateway_bridge() {
    auto job = shared_from_this();
    self->request(self->state.docker, self->state.settings.timeouts.engine_call,
                  docker::network_inspect(gateway_bridge_network))
        .then(
            [job](const docker_reply& reply) {
              auto info = docker::parse_network_info(reply.body);
              if (!info)
                return job->done(info.error());
              job->fence(docker::bridge_device_of(*info));
            },
            [job](caf::error& err) { job->done(std::move(err)); });
  }

  void fence(const std::string& device) {
    auto job = shared_from_this();
    run_blocking_then<bool>(
        self,
        [device]() -> caf::expected<bool> {
          if (!firewall::device_exists(device))
            return false;
          if (auto err = firewall::ensure_fence(device))
            return err;
          return true;
        },
        [job, device](bool fenced) {
          if (!fenced && job->self->state.unseen_devices.insert(device).second)
            log::get("agent")->warn(
                "the bridge {} of network {} is not in this agent's network namespace, so the "
                "agent cannot fence it: kernels on it can connect to their host. Run the agent "
                "in the Docker engine's network namespace",
                device, job->name);
          job->done(caf::none);
        },
        [job](caf::error& err) { job->done(std::move(err)); });
  }
};

} // namespace

bool names_ambiguous_network(const caf::error& err) {
  return err && message_of(err).find("is ambiguous") != std::string::npos;
}

bool lost_network(const caf::error& err, const std::string& name) {
  return names_ambiguous_network(err) ||
         (err && message_of(err).find("network " + name + " not found") != std::string::npos);
}

std::string kept_network(const std::vector<docker::network_info>& listed, const std::string& name) {
  std::string kept;
  for (auto& net : listed)
    if (net.name == name && (kept.empty() || net.id < kept))
      kept = net.id;
  return kept;
}

std::vector<std::string> duplicate_networks(const std::vector<docker::network_info>& listed,
                                            const std::string& name) {
  std::vector<std::string> ids;
  for (auto& net : listed)
    if (net.name == name) // the engine's name filter matches substrings
      ids.push_back(net.id);
  std::sort(ids.begin(), ids.end());
  if (!ids.empty())
    ids.erase(ids.begin());
  return ids;
}

docker::network_spec kernel_network_spec() {
  docker::network_spec spec;
  spec.name = kernel_network_name;
  spec.driver = "bridge";
  spec.labels = {{"ai.backend.managed", "baikal"}};
  spec.options = {{"com.docker.network.bridge.enable_icc", "false"}};
  return spec;
}

void prepare_kernel_network(agent_pointer self, const std::string& network_mode,
                            std::function<void(caf::error)> done) {
  if (!has_own_network(network_mode))
    return done(caf::none);
  auto job = std::make_shared<network_preparation>();
  job->self = self;
  job->name = network_mode;
  job->target = network_mode;
  job->done = std::move(done);
  job->inspect();
}

void sweep_kernel_fences(agent_pointer self) {
  run_blocking_then<std::vector<std::string>>(
      self, [] { return firewall::sweep_fences(); },
      [](std::vector<std::string>& removed) {
        for (auto& device : removed)
          log::get("agent")->info("removed the kernel fence of {}, a bridge that is gone", device);
      },
      [](caf::error& err) {
        log::get("agent")->warn("could not sweep the kernel fences: {}", message_of(err));
      });
}

} // namespace baikal
