#include "messages/announce.hpp"

#include <caf/actor_system_config.hpp>

#include "messages/agent_interface.hpp"
#include "messages/launcher_interface.hpp"
#include "messages/manager_interface.hpp"

namespace baikal {

#define BAIKAL_ANNOUNCE(type) cfg.add_message_type<type>("baikal::" #type)

void announce_message_types(caf::actor_system_config& cfg) {
  // value types
  BAIKAL_ANNOUNCE(image_registry);
  BAIKAL_ANNOUNCE(image_config);
  BAIKAL_ANNOUNCE(image_ref);
  BAIKAL_ANNOUNCE(purge_images_req);
  BAIKAL_ANNOUNCE(purge_image_result);
  BAIKAL_ANNOUNCE(purge_images_resp);
  BAIKAL_ANNOUNCE(mount_spec);
  BAIKAL_ANNOUNCE(network_config);
  BAIKAL_ANNOUNCE(ssh_keypair);
  BAIKAL_ANNOUNCE(host_port);
  BAIKAL_ANNOUNCE(cluster_info);
  BAIKAL_ANNOUNCE(kernel_creation_config);
  BAIKAL_ANNOUNCE(service_port);
  BAIKAL_ANNOUNCE(kernel_info);
  BAIKAL_ANNOUNCE(console_item);
  BAIKAL_ANNOUNCE(execution_result);
  BAIKAL_ANNOUNCE(completion_result);
  BAIKAL_ANNOUNCE(service_result);
  BAIKAL_ANNOUNCE(kernel_logs);
  BAIKAL_ANNOUNCE(file_entry);
  BAIKAL_ANNOUNCE(file_listing);
  BAIKAL_ANNOUNCE(file_bytes);
  BAIKAL_ANNOUNCE(hardware_metadata);
  BAIKAL_ANNOUNCE(hardware_info);
  BAIKAL_ANNOUNCE(kernel_ping);
  BAIKAL_ANNOUNCE(ack);
  BAIKAL_ANNOUNCE(kernel_session);
  BAIKAL_ANNOUNCE(pull_jobs);
  BAIKAL_ANNOUNCE(created_kernels);
  BAIKAL_ANNOUNCE(assigned_port);
  BAIKAL_ANNOUNCE(commit_state);
  BAIKAL_ANNOUNCE(probe_result);
  BAIKAL_ANNOUNCE(kernel_binding);
  BAIKAL_ANNOUNCE(scheduled_session);
  BAIKAL_ANNOUNCE(session_start_outcome);
  BAIKAL_ANNOUNCE(start_sessions_report);
  BAIKAL_ANNOUNCE(agent_record);
  BAIKAL_ANNOUNCE(kernel_record);
  BAIKAL_ANNOUNCE(status_change);
  BAIKAL_ANNOUNCE(session_record);
  BAIKAL_ANNOUNCE(agent_registration);
  BAIKAL_ANNOUNCE(heartbeat_reply);
  BAIKAL_ANNOUNCE(session_request);
  BAIKAL_ANNOUNCE(kernel_route);
  BAIKAL_ANNOUNCE(agent_view);
  BAIKAL_ANNOUNCE(op::register_agent);
  BAIKAL_ANNOUNCE(op::agent_heartbeat);
  BAIKAL_ANNOUNCE(identity_proof);
  BAIKAL_ANNOUNCE(registration_challenge);
  BAIKAL_ANNOUNCE(op::get_registration_challenge);
  // events
  BAIKAL_ANNOUNCE(kernel_event_header);
  BAIKAL_ANNOUNCE(kernel_preparing_event);
  BAIKAL_ANNOUNCE(kernel_pulling_event);
  BAIKAL_ANNOUNCE(kernel_creating_event);
  BAIKAL_ANNOUNCE(kernel_started_event);
  BAIKAL_ANNOUNCE(kernel_terminated_event);
  BAIKAL_ANNOUNCE(do_agent_resource_check_event);
  BAIKAL_ANNOUNCE(agent_terminated_event);
  BAIKAL_ANNOUNCE(image_pull_event);
  BAIKAL_ANNOUNCE(execution_event);
  // operations
  BAIKAL_ANNOUNCE(op::update_scaling_group);
  BAIKAL_ANNOUNCE(op::ping);
  BAIKAL_ANNOUNCE(op::gather_hwinfo);
  BAIKAL_ANNOUNCE(op::ping_kernel);
  BAIKAL_ANNOUNCE(op::sync_kernel_registry);
  BAIKAL_ANNOUNCE(op::shutdown);
  BAIKAL_ANNOUNCE(op::create_kernels);
  BAIKAL_ANNOUNCE(op::destroy_kernel);
  BAIKAL_ANNOUNCE(op::restart_kernel);
  BAIKAL_ANNOUNCE(op::interrupt_kernel);
  BAIKAL_ANNOUNCE(op::get_completions);
  BAIKAL_ANNOUNCE(op::get_logs);
  BAIKAL_ANNOUNCE(op::execute);
  BAIKAL_ANNOUNCE(op::trigger_batch_execution);
  BAIKAL_ANNOUNCE(op::start_service);
  BAIKAL_ANNOUNCE(op::shutdown_service);
  BAIKAL_ANNOUNCE(op::accept_file);
  BAIKAL_ANNOUNCE(op::download_file);
  BAIKAL_ANNOUNCE(op::download_single);
  BAIKAL_ANNOUNCE(op::list_files);
  BAIKAL_ANNOUNCE(op::check_and_pull);
  BAIKAL_ANNOUNCE(op::get_commit_status);
  BAIKAL_ANNOUNCE(op::commit);
  BAIKAL_ANNOUNCE(op::push_image);
  BAIKAL_ANNOUNCE(op::purge_images);
  BAIKAL_ANNOUNCE(op::create_local_network);
  BAIKAL_ANNOUNCE(op::destroy_local_network);
  BAIKAL_ANNOUNCE(op::assign_port);
  BAIKAL_ANNOUNCE(op::release_port);
  BAIKAL_ANNOUNCE(op::check_pulling);
  BAIKAL_ANNOUNCE(op::check_creating);
  BAIKAL_ANNOUNCE(op::check_running);
  BAIKAL_ANNOUNCE(op::trigger_image_pulling);
  BAIKAL_ANNOUNCE(op::start_sessions);
  BAIKAL_ANNOUNCE(op::update_agent_directory);
  // actor handles that travel inside messages
  BAIKAL_ANNOUNCE(agent_actor);
  BAIKAL_ANNOUNCE(event_sink_actor);
  BAIKAL_ANNOUNCE(agent_registry_actor);
  BAIKAL_ANNOUNCE(manager_actor);
  BAIKAL_ANNOUNCE(launcher_actor);
}

} // namespace baikal
