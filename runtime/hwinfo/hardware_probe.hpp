#pragma once

/// What the agent's host has: CPU, memory, disks and (where nvidia-smi answers) GPUs, in the
/// shape of gather_hwinfo's answer. Reads /proc and statvfs and may run nvidia-smi, so it
/// blocks: call it from a detached actor or before the actor system starts.

#include <string>

#include "messages/execution_types.hpp"

namespace baikal::hwinfo {

/// Parses /proc/cpuinfo text: model name and logical core count.
hardware_metadata parse_cpuinfo(const std::string& cpuinfo);

/// Parses /proc/meminfo text: total and available bytes.
hardware_metadata parse_meminfo(const std::string& meminfo);

/// Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader` output.
hardware_metadata parse_nvidia_smi(const std::string& csv);

/// Probes this host. `scratch_root` is the disk whose capacity is reported; GPUs are probed
/// only when `with_gpus` is set.
hardware_info probe_host(const std::string& scratch_root, bool with_gpus);

} // namespace baikal::hwinfo
