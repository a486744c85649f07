#pragma once

/// The host fence: firewall rules that keep kernels from opening connections to the host they
/// run on, and so to the agent's and a local manager's ports.
///
/// One rule per bridge device that kernels sit on, at the top of the filter table's INPUT
/// chain: a packet that arrives from that device and belongs to no connection the host opened
/// (conntrack state neither ESTABLISHED nor RELATED) is rejected, so a kernel's connect() to
/// any address of its host is refused. Traffic the host starts (a user reaching a published
/// service port through docker-proxy) and traffic the engine forwards between networks never
/// passes INPUT and is left to the engine's own rules.
///
/// Every rule carries the comment `baikal-kernel-fence`, so any agent of the host finds them.
/// The rule of a device lives as long as the device: kernels outlive a stopped agent, and a
/// rule whose device is gone (its network was removed) is swept away.
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

/// The rule for `device`, as the arguments that follow the chain name in an iptables call.
std::vector<std::string> fence_rule(const std::string& device);

/// The devices of the fence rules in `iptables -S INPUT` output, in order, each once.
std::vector<std::string> fenced_devices(std::string_view listing);

/// Whether a network device of that name exists in this process's network namespace. An
/// agent in another namespace than its engine cannot see (nor fence) the engine's bridges.
bool device_exists(const std::string& device);

/// Adds the fence rule of `device` at the top of INPUT unless it is already there. An error
/// (runtime_error) quotes iptables.
caf::error ensure_fence(const std::string& device);

/// Removes every fence rule of `device` (there may be more than one when agents raced).
caf::error remove_fence(const std::string& device);

/// Removes the fence rules of devices that no longer exist; answers the devices it removed.
caf::expected<std::vector<std::string>> sweep_fences();

} // namespace baikal::firewall
