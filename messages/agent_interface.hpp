#pragma once

/// The agent's typed interface: every operation of the agent spec, with the answer each gives,
/// plus host ports and the probes the manager asks. An operation that returns nothing answers
/// `ack`; a failure answers a caf::error of Baikal's category (messages/errors.hpp).

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/agent_ops.hpp"
#include "messages/events.hpp"
#include "messages/execution_types.hpp"

namespace baikal {

using agent_actor = caf::typed_actor<
  // agent and registry
  caf::replies_to<op::update_scaling_group>::with<ack>,
  caf::replies_to<op::ping>::with<std::string>,
  caf::replies_to<op::gather_hwinfo>::with<hardware_info>,
  caf::replies_to<op::ping_kernel>::with<kernel_ping>,
  caf::replies_to<op::sync_kernel_registry>::with<ack>,
  caf::replies_to<op::shutdown>::with<ack>,
  // kernels
  caf::replies_to<op::create_kernels>::with<created_kernels>,
  caf::replies_to<op::destroy_kernel>::with<ack>,
  caf::replies_to<op::restart_kernel>::with<kernel_info>,
  caf::replies_to<op::interrupt_kernel>::with<ack>,
  caf::replies_to<op::get_completions>::with<completion_result>,
  caf::replies_to<op::get_logs>::with<kernel_logs>,
  caf::replies_to<op::execute>::with<execution_result>,
  caf::replies_to<op::trigger_batch_execution>::with<ack>,
  caf::replies_to<op::start_service>::with<service_result>,
  caf::replies_to<op::shutdown_service>::with<ack>,
  // files
  caf::replies_to<op::accept_file>::with<ack>,
  caf::replies_to<op::download_file>::with<file_bytes>,
  caf::replies_to<op::download_single>::with<file_bytes>,
  caf::replies_to<op::list_files>::with<file_listing>,
  // images
  caf::replies_to<op::check_and_pull>::with<pull_jobs>,
  caf::replies_to<op::get_commit_status>::with<commit_state>,
  caf::replies_to<op::commit>::with<ack>,
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
  caf::replies_to<op::check_running>::with<probe_result>>;

/// Where an agent sends the events it produces (the manager's event hub, or a test's recorder).
using event_sink_actor = caf::typed_actor<
  caf::reacts_to<kernel_preparing_event>, caf::reacts_to<kernel_pulling_event>,
  caf::reacts_to<kernel_creating_event>, caf::reacts_to<kernel_started_event>,
  caf::reacts_to<kernel_terminated_event>, caf::reacts_to<do_agent_resource_check_event>,
  caf::reacts_to<agent_terminated_event>, caf::reacts_to<image_pull_event>,
  caf::reacts_to<execution_event>>;

} // namespace baikal
