#pragma once

/// Network names the agent accepts. Docker 20.10 creates networks with any name (spaces, '@',
/// '#'), so the agent checks names itself before asking the engine.

#include <string>

#include <caf/error.hpp>

namespace baikal {

/// No error when `name` is a valid network name ([a-zA-Z0-9][a-zA-Z0-9_.-]*, at most 64
/// characters); otherwise invalid_argument saying what is allowed.
caf::error validate_network_name(const std::string& name);

/// The agent's kernel network: the kernels of sessions without a network of their own
/// (single-kernel sessions) join it, and the engine keeps them from reaching each other.
inline constexpr const char* kernel_network_name = "bai-kernels";

/// The bridge network of a single-node multi-kernel session.
std::string singlenode_network_name(const std::string& session_id);

} // namespace baikal
