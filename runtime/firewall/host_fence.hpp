#pragma once

/// The host fence: firewall rules that keep kernels from opening connections to the host they
/// run on (and so to the agent's and a local manager's ports), and to kernels on other bridges.
///
/// Three rules per bridge device that kernels sit on, in the filter table:
///  - at the top of INPUT, a packet that arrives from that device and belongs to no connection
///    the host opened (conntrack state neither ESTABLISHED nor RELATED) is rejected, so a
///    kernel's connect() to any address of its host is refused. Traffic the host starts (a user
///    reaching a published service port through docker-proxy) never passes this rule;
///  - at the top of FORWARD, a packet from that device to any other device goes through the
///    chain BAIKAL-KERNELS-APART, where a rule per fenced device rejects it when it is bound for
///    that device. So no kernel connects to a kernel on another fenced bridge, directly or
///    through a published port of the host, whatever becomes of the engine's own isolation
///    chains (each engine that starts on a host rebuilds them with its own bridges only). The
///    traffic within one bridge and to the outside is left to the engine.
///
/// Every rule carries the comment `baikal-kernel-fence`, so any agent of the host finds them.
/// The rules of a device live as long as the device: kernels outlive a stopped agent, and the
/// rules of a device that is gone (its network was removed) are swept away.
///
/// All functions here block (they run iptables); call them off actor threads.

#include <string>
#include <string_view>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

namespace baikal::firewall {

/// The comment that marks Baikal's fence rules.
constexpr const char* fence_comment = "baikal-kernel-fence";

/// The chain that rejects traffic from one fenced device to another.
constexpr const char* apart_chain = "BAIKAL-KERNELS-APART";

/// One rule of a device's fence: its chain, and the arguments that follow the chain name in an
/// iptables call.
struct fence_rule {
  std::string chain;
  std::vector<std::string> args;
};

/// The rules of `device`'s fence: INPUT, FORWARD, then BAIKAL-KERNELS-APART.
std::vector<fence_rule> fence_rules(const std::string& device);

/// The devices of the fence rules in `iptables -S` output (the filter table), in order, each
/// once.
std::vector<std::string> fenced_devices(std::string_view listing);

/// Whether a network device of that name exists in this process's network namespace. An
/// agent in another namespace than its engine cannot see (nor fence) the engine's bridges.
bool device_exists(const std::string& device);

/// Adds each rule of `device`'s fence that is not there yet (INPUT and FORWARD at the top),
/// making the chain BAIKAL-KERNELS-APART first if needed. An error (runtime_error) quotes
/// iptables.
caf::error ensure_fence(const std::string& device);

/// Removes every rule of `device`'s fence (there may be copies when agents raced).
caf::error remove_fence(const std::string& device);

/// Removes the fence rules of devices that no longer exist; answers the devices it removed.
caf::expected<std::vector<std::string>> sweep_fences();

} // namespace baikal::firewall
