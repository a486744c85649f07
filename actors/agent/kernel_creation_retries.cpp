#include "actors/agent/kernel_creation_job.hpp"

#include <string>
#include <utility>

#include "actors/agent/kernel_network.hpp"
#include "actors/agent/network_names.hpp"
#include "actors/agent/service_ports.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

/// How often a kernel is created again with other host ports after the engine refused to
/// publish the ones the agent picked (something the probe cannot see holds them).
constexpr int max_port_retries = 3;

/// How often a kernel's network is made ready again after the engine found it twice or lost
/// it (agents sharing one engine, each making the kernel network at the same moment).
constexpr int max_network_retries = 3;

auto logger() {
  return log::get("agent");
}

} // namespace

bool kernel_creation_job::retry_with_network_again(const caf::error& err) {
  auto network = kernel_network_mode(cluster_);
  auto& id = self_->state.kernel_network_id;
  if (network != kernel_network_name ||
      !(lost_network(err, network) || (!id.empty() && lost_network(err, id))) ||
      network_retries_ >= max_network_retries)
    return false;
  ++network_retries_;
  // The engine can keep a network in its store that it no longer attaches containers to
  // ("Could not attach to network ...: not found" after it was killed and restarted): making
  // it ready again finds it and fails the same way, so the retries after the first one make
  // it anew.
  renew_network_ = network_retries_ > 1;
  logger()->warn("kernel {}: the kernel network {} was made twice or removed meanwhile ({}); "
                 "making it ready again ({} of {})",
                 cfg_.kernel, network, message_of(err), network_retries_, max_network_retries);
  if (!move(creation_event::network_lost))
    return true;
  if (container_id_.empty()) {
    prepare_network();
    return true;
  }
  // The container was made on the lost network: it goes, then the network, then a new one.
  replace_container(creation_event::removed_for_network, &kernel_creation_job::prepare_network);
  return true;
}

bool kernel_creation_job::retry_with_other_ports(const caf::error& err) {
  if (!is_host_port_conflict(err) || pool_ports_of(services_).empty())
    return false; // not ours to fix (host networking publishes the container's own ports)
  if (port_retries_ >= max_port_retries) {
    fail(lifecycle_reason::failed_to_create,
         make_error(errc::unavailable, "the engine refused the host ports of " +
                                           std::to_string(port_retries_ + 1) +
                                           " attempts as already taken (last: " + message_of(err) +
                                           "); free ports in container.port-range or widen it"));
    return true;
  }
  ++port_retries_;
  auto taken = pool_ports_of(services_);
  std::string listed;
  for (auto port : taken)
    listed += (listed.empty() ? "" : ",") + std::to_string(port);
  logger()->warn("kernel {}: the engine could not publish host port(s) {} ({}); retrying with "
                 "other ports ({} of {})",
                 cfg_.kernel, listed, message_of(err), port_retries_, max_port_retries);
  // The refused ports stay taken in the pool, so the next mapping picks others.
  refused_ports_.insert(refused_ports_.end(), taken.begin(), taken.end());
  for (auto& sp : services_)
    sp.host_ports.clear();
  if (container_id_.empty()) {
    if (move(creation_event::remapped))
      remap_and_create();
    return true;
  }
  if (!move(creation_event::ports_refused))
    return true;
  // The failed container holds the kernel's name: remove it before creating the next.
  replace_container(creation_event::container_removed, &kernel_creation_job::remap_and_create);
  return true;
}

void kernel_creation_job::replace_container(creation_event removed,
                                            void (kernel_creation_job::*next)()) {
  auto job = shared_from_this();
  auto id = std::exchange(container_id_, std::string{});
  self_
      ->request(self_->state.docker, self_->state.settings.timeouts.container_remove,
                docker::container_remove(id, true, true))
      .then(
          [job, removed, next](const docker_reply&) {
            if (job->move(removed))
              ((*job).*next)();
          },
          [job, id](caf::error& remove_err) {
            job->container_id_ = id; // fail tries the remove once more
            job->fail(lifecycle_reason::failed_to_create, remove_err);
          });
}

void kernel_creation_job::remap_and_create() {
  if (auto err = take_host_ports())
    return fail(lifecycle_reason::failed_to_create, err);
  create_container();
}

} // namespace baikal
