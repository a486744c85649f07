#pragma once

/// The type name of each event, as its JSON's "type" field, the SSE `event:` line and the
/// `type` filter of GET /v1/events spell it.

#include <array>
#include <string_view>

#include "messages/events.hpp"

namespace baikal::json {

constexpr const char* event_name(const kernel_preparing_event&) {
  return "kernel_preparing";
}
constexpr const char* event_name(const kernel_pulling_event&) {
  return "kernel_pulling";
}
constexpr const char* event_name(const kernel_creating_event&) {
  return "kernel_creating";
}
constexpr const char* event_name(const kernel_started_event&) {
  return "kernel_started";
}
constexpr const char* event_name(const kernel_terminated_event&) {
  return "kernel_terminated";
}
constexpr const char* event_name(const do_agent_resource_check_event&) {
  return "do_agent_resource_check";
}
constexpr const char* event_name(const agent_terminated_event&) {
  return "agent_terminated";
}
constexpr const char* event_name(const image_pull_event&) {
  return "image_pull";
}
constexpr const char* event_name(const execution_event&) {
  return "execution";
}
constexpr const char* event_name(const batch_result_event&) {
  return "batch_result";
}

/// Every name above.
constexpr std::array<std::string_view, 10> event_names{
    "kernel_preparing", "kernel_pulling",    "kernel_creating",
    "kernel_started",   "kernel_terminated", "do_agent_resource_check",
    "agent_terminated", "image_pull",        "execution",
    "batch_result"};

} // namespace baikal::json
