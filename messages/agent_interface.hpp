#pragma once

/// The agent's typed interface: every operation of the agent spec (003) with the answer each
/// gives, plus host ports and the probes the manager asks. The operations on one kernel are in
/// kernel_interface.hpp and belong to this interface too. An operation that returns nothing
/// answers `ack`; a failure answers a caf::error of Baikal's category (messages/errors.hpp).
///
/// A new agent operation is its struct and its line in agent_actor here, and its handler in the
/// agent actor (actors/agent/agent.cpp): the announcement and the agent doubles take it from
/// the list.

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "messages/ack.hpp"
#include "messages/events.hpp"
#include "messages/execution_types.hpp"
#include "messages/ids.hpp"
#include "messages/image_types.hpp"
#include "messages/inspect.hpp"
#include "messages/kernel_interface.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

/// A kernel and the session it belongs to.
struct kernel_session {
  kernel_id kernel;
  session_id session;
};
BAIKAL_INSPECT("", kernel_session, x.kernel, x.session)

namespace op {

// -- agent and registry ------------------------------------------------------------------------

struct update_scaling_group {
  std::string scaling_group;
};
BAIKAL_INSPECT("op::", update_scaling_group, x.scaling_group)

struct ping {
  std::string msg;
};
BAIKAL_INSPECT("op::", ping, x.msg)

struct gather_hwinfo {
  bool with_gpus = true;
};
BAIKAL_INSPECT("op::", gather_hwinfo, x.with_gpus)

struct sync_kernel_registry {
  std::vector<kernel_session> kernels;
};
BAIKAL_INSPECT("op::", sync_kernel_registry, x.kernels)

/// `stop_signal` is the signal number; only SIGTERM (15) destroys every kernel.
struct shutdown {
  int32_t stop_signal = 15;
};
BAIKAL_INSPECT("op::", shutdown, x.stop_signal)

// -- kernels (those on one running kernel are in kernel_interface.hpp) ---------------------------

struct create_kernels {
  session_id session;
  std::vector<kernel_id> kernel_ids;
  std::vector<kernel_creation_config> configs;
  cluster_info cluster;
  std::map<kernel_id, image_ref> image_refs;
};
BAIKAL_INSPECT("op::", create_kernels, x.session, x.kernel_ids, x.configs, x.cluster, x.image_refs)

struct restart_kernel {
  kernel_id kernel;
  session_id session;
  image_ref image;
  kernel_creation_config updated_config;
};
BAIKAL_INSPECT("op::", restart_kernel, x.kernel, x.session, x.image, x.updated_config)

struct trigger_batch_execution {
  session_id session;
  kernel_id kernel;
  std::string code;
  double timeout = 0; ///< seconds, 0 for none
};
BAIKAL_INSPECT("op::", trigger_batch_execution, x.session, x.kernel, x.code, x.timeout)

// -- images ------------------------------------------------------------------------------------

struct check_and_pull {
  std::map<std::string, image_config> images;
};
BAIKAL_INSPECT("op::", check_and_pull, x.images)

struct push_image {
  image_ref image;
  image_registry registry;
  caf::optional<double> timeout; ///< seconds; none for no limit
};
BAIKAL_INSPECT("op::", push_image, x.image, x.registry, x.timeout)

struct purge_images {
  purge_images_req request;
};
BAIKAL_INSPECT("op::", purge_images, x.request)

// -- networks ----------------------------------------------------------------------------------

struct create_local_network {
  std::string network_name;
};
BAIKAL_INSPECT("op::", create_local_network, x.network_name)

struct destroy_local_network {
  std::string network_name;
};
BAIKAL_INSPECT("op::", destroy_local_network, x.network_name)

// -- beyond the spec: host ports and probes ----------------------------------------------------

struct assign_port {};
BAIKAL_INSPECT("op::", assign_port)

struct release_port {
  uint16_t port = 0;
};
BAIKAL_INSPECT("op::", release_port, x.port)

/// Is this image being pulled right now?
struct check_pulling {
  std::string image;
};
BAIKAL_INSPECT("op::", check_pulling, x.image)

/// Is this kernel being created right now?
struct check_creating {
  kernel_id kernel;
};
BAIKAL_INSPECT("op::", check_creating, x.kernel)

/// Is this kernel's container running?
struct check_running {
  kernel_id kernel;
};
BAIKAL_INSPECT("op::", check_running, x.kernel)

} // namespace op

/// check_and_pull's answer: image name to the id of the job pulling it.
struct pull_jobs {
  std::map<std::string, std::string> jobs;
};
BAIKAL_INSPECT("", pull_jobs, x.jobs)

/// create_kernels' answer: one entry per created kernel.
struct created_kernels {
  std::vector<kernel_info> kernels;
};
BAIKAL_INSPECT("", created_kernels, x.kernels)

struct assigned_port {
  uint16_t port = 0;
};
BAIKAL_INSPECT("", assigned_port, x.port)

/// A probe's answer: whether the thing is happening, and what the agent knows of it.
struct probe_result {
  bool active = false;
  std::string detail;
};
BAIKAL_INSPECT("", probe_result, x.active, x.detail)

using agent_actor = caf::typed_actor<
    // agent and registry
    caf::replies_to<op::update_scaling_group>::with<ack>,
    caf::replies_to<op::ping>::with<std::string>,
    caf::replies_to<op::gather_hwinfo>::with<hardware_info>,
    caf::replies_to<op::sync_kernel_registry>::with<ack>, caf::replies_to<op::shutdown>::with<ack>,
    // kernels
    caf::replies_to<op::create_kernels>::with<created_kernels>,
    caf::replies_to<op::restart_kernel>::with<kernel_info>,
    caf::replies_to<op::trigger_batch_execution>::with<ack>,
    // images
    caf::replies_to<op::check_and_pull>::with<pull_jobs>,
    caf::replies_to<op::push_image>::with<ack>,
    caf::replies_to<op::purge_images>::with<purge_images_resp>,
    // networks
    caf::replies_to<op::create_local_network>::with<ack>,
    caf::replies_to<op::destroy_local_network>::with<ack>,
    // beyond the spec
    caf::replies_to<op::assign_port>::with<assigned_port>,
    caf::replies_to<op::release_port>::with<ack>,
    caf::replies_to<op::check_pulling>::with<probe_result>,
    caf::replies_to<op::check_creating>::with<probe_result>,
    caf::replies_to<op::check_running>::with<probe_result>>::extend_with<kernel_actor>;

/// Where an agent sends the events it produces (the manager's event hub, or a test's recorder).
using event_sink_actor =
    caf::typed_actor<caf::reacts_to<kernel_preparing_event>, caf::reacts_to<kernel_pulling_event>,
                     caf::reacts_to<kernel_creating_event>, caf::reacts_to<kernel_started_event>,
                     caf::reacts_to<kernel_terminated_event>,
                     caf::reacts_to<do_agent_resource_check_event>,
                     caf::reacts_to<agent_terminated_event>, caf::reacts_to<image_pull_event>,
                     caf::reacts_to<execution_event>, caf::reacts_to<batch_result_event>>;

} // namespace baikal
