#include "messages/announce.hpp"

#include <caf/actor_system_config.hpp>

#include "messages/agent_interface.hpp"
#include "messages/announce_interface.hpp"
#include "messages/launcher_interface.hpp"
#include "messages/manager_interface.hpp"

namespace baikal {

#define BAIKAL_ANNOUNCE(type) cfg.add_message_type<type>("baikal::" #type)

void announce_message_types(caf::actor_system_config& cfg) {
  // Every request and answer of the interfaces that cross nodes, under its inspect name.
  announcing::announce_interface<agent_actor>(cfg);
  announcing::announce_interface<event_sink_actor>(cfg);
  announcing::announce_interface<agent_registry_actor>(cfg);
  announcing::announce_interface<launcher_actor>(cfg);
  // Value types that travel inside those.
  BAIKAL_ANNOUNCE(image_registry);
  BAIKAL_ANNOUNCE(image_config);
  BAIKAL_ANNOUNCE(image_ref);
  BAIKAL_ANNOUNCE(purge_images_req);
  BAIKAL_ANNOUNCE(purge_image_result);
  BAIKAL_ANNOUNCE(mount_spec);
  BAIKAL_ANNOUNCE(network_config);
  BAIKAL_ANNOUNCE(ssh_keypair);
  BAIKAL_ANNOUNCE(host_port);
  BAIKAL_ANNOUNCE(cluster_info);
  BAIKAL_ANNOUNCE(kernel_creation_config);
  BAIKAL_ANNOUNCE(service_port);
  BAIKAL_ANNOUNCE(console_item);
  BAIKAL_ANNOUNCE(file_entry);
  BAIKAL_ANNOUNCE(hardware_metadata);
  BAIKAL_ANNOUNCE(kernel_session);
  BAIKAL_ANNOUNCE(kernel_binding);
  BAIKAL_ANNOUNCE(scheduled_session);
  BAIKAL_ANNOUNCE(start_failure);
  BAIKAL_ANNOUNCE(session_start_outcome);
  BAIKAL_ANNOUNCE(agent_record);
  BAIKAL_ANNOUNCE(kernel_record);
  BAIKAL_ANNOUNCE(status_change);
  BAIKAL_ANNOUNCE(session_record);
  BAIKAL_ANNOUNCE(folder_mount);
  BAIKAL_ANNOUNCE(session_request);
  BAIKAL_ANNOUNCE(folder_info);
  BAIKAL_ANNOUNCE(kernel_route);
  BAIKAL_ANNOUNCE(agent_quarantine_view);
  BAIKAL_ANNOUNCE(agent_view);
  BAIKAL_ANNOUNCE(identity_proof);
  BAIKAL_ANNOUNCE(kernel_event_header);
  BAIKAL_ANNOUNCE(numbered_event);
  // Actor handles that travel inside messages.
  BAIKAL_ANNOUNCE(agent_actor);
  BAIKAL_ANNOUNCE(event_sink_actor);
  BAIKAL_ANNOUNCE(agent_registry_actor);
  BAIKAL_ANNOUNCE(manager_actor);
  BAIKAL_ANNOUNCE(launcher_actor);
}

} // namespace baikal
