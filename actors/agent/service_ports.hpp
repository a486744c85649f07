#pragma once

/// A kernel's service ports: which container ports its image's services listen on, the host
/// ports the agent maps them to, and how that mapping is kept in a container label so a
/// restarted agent knows which host ports are taken.

#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "actors/agent/port_pool.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

/// The container label that keeps the mapping ("httpd:http:8080:30001,...").
constexpr const char* service_ports_label = "ai.backend.service-ports";

/// The services of a service table (kernel_spec's service_table_json) that listen on a port,
/// with no host port yet. Entries without a port or with a malformed one are left out.
std::vector<service_port> service_ports_of_table(const std::string& table_json);

/// Whether nothing on this host listens on TCP `port` yet (it can be bound right now).
bool host_port_free(uint16_t port);

using port_probe = bool (*)(uint16_t);

/// A probe that finds every port free: for an agent whose probe would look in the wrong
/// network namespace (not the engine's), and for tests that hold a port the probe would see.
/// The engine's refusal (is_host_port_conflict) then catches a taken port.
bool any_port_free(uint16_t port);

/// Whether `err`, from a container create or start, says a published host port is already
/// taken ("port is already allocated" from the engine, "address already in use" from its
/// docker-proxy) or could not be published ("driver failed programming external
/// connectivity": the engine's iptables rules failed): another try with other ports may work.
bool is_host_port_conflict(const caf::error& err);

/// The host ports of `services` that came from the pool (none with host networking).
std::vector<uint16_t> pool_ports_of(const std::vector<service_port>& services);

/// Gives each service a host port from `pool`; all or nothing (on failure the ports already
/// taken are given back). Ports that something else on the host already holds (another
/// engine's container, another program) are skipped. With host networking the container ports
/// are the host ports.
caf::error map_service_ports(std::vector<service_port>& services, port_pool& pool,
                             bool host_network, port_probe is_free = host_port_free);

/// Gives back the host ports `map_service_ports` took.
void release_service_ports(const std::vector<service_port>& services, port_pool& pool);

std::string encode_service_ports(const std::vector<service_port>& services);
std::vector<service_port> decode_service_ports(const std::string& label);

} // namespace baikal
