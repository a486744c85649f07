#include "runtime/logging/log.hpp"

#include <cstdlib>
#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace baikal::log {

namespace {

std::mutex registry_mutex;

spdlog::level::level_enum initial_level() {
  if (const char* env = std::getenv("BAIKAL_LOG_LEVEL"))
    return spdlog::level::from_str(env);
  return spdlog::level::info;
}

} // namespace

void set_level(const std::string& level) {
  spdlog::set_level(spdlog::level::from_str(level));
}

std::shared_ptr<spdlog::logger> get(const std::string& component) {
  std::lock_guard<std::mutex> guard{registry_mutex};
  if (auto existing = spdlog::get(component))
    return existing;
  auto logger = spdlog::stderr_color_mt(component);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
  logger->set_level(initial_level());
  return logger;
}

} // namespace baikal::log
