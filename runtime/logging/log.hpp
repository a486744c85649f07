#pragma once

/// Process-wide logging: one spdlog logger per component name, one format for all.

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace baikal::log {

/// Sets the level of every logger ("trace" .. "critical", "off"); defaults to "info", or
/// BAIKAL_LOG_LEVEL when that is set.
void set_level(const std::string& level);

/// The logger of `component` ("agent", "docker", "launcher", ...), created on first use.
std::shared_ptr<spdlog::logger> get(const std::string& component);

} // namespace baikal::log
