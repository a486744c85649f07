#include "messages/status_types.hpp"

namespace baikal {

namespace {

// Each table lists the names in the order of the enum's values, the first value being 1.

constexpr std::array<const char*, 10> session_status_names = {
    "PENDING",  "SCHEDULED", "PREPARING",   "PULLING",    "PREPARED",
    "CREATING", "RUNNING",   "TERMINATING", "TERMINATED", "ERROR",
};

constexpr std::array<const char*, 12> kernel_status_names = {
    "PENDING", "SCHEDULED",   "PREPARING",  "PULLING", "PREPARED",   "CREATING",
    "RUNNING", "TERMINATING", "TERMINATED", "ERROR",   "RESTARTING", "CANCELLED",
};

constexpr std::array<const char*, 3> agent_status_names = {"ALIVE", "LOST", "TERMINATED"};

constexpr std::array<const char*, 2> cluster_role_names = {"main", "sub"};

constexpr std::array<const char*, 8> execution_mode_names = {
    "query", "batch", "continue", "input", "pty", "write", "resize", "cancel"};

/// The name of `x` in `names`; empty for a number no value has (a peer sent garbage).
template <class Enum, size_t N>
std::string name_of(const std::array<const char*, N>& names, Enum x) {
  auto i = static_cast<size_t>(x);
  return i >= 1 && i <= N ? names[i - 1] : "";
}

template <class Enum, size_t N>
caf::optional<Enum> value_named(const std::array<const char*, N>& names, std::string_view text) {
  for (size_t i = 0; i < N; ++i)
    if (text == names[i])
      return static_cast<Enum>(i + 1);
  return caf::none;
}

} // namespace

std::string to_string(session_status x) {
  return name_of(session_status_names, x);
}

caf::optional<session_status> session_status_from(std::string_view text) {
  return value_named<session_status>(session_status_names, text);
}

bool is_terminal(session_status x) {
  return x == session_status::terminated || x == session_status::error;
}

std::string to_string(kernel_status x) {
  return name_of(kernel_status_names, x);
}

caf::optional<kernel_status> kernel_status_from(std::string_view text) {
  return value_named<kernel_status>(kernel_status_names, text);
}

static_assert(static_cast<int>(kernel_status::error) == static_cast<int>(session_status::error),
              "the session statuses open the kernel statuses, in the same order");

kernel_status kernel_status_of(session_status x) {
  return static_cast<kernel_status>(static_cast<uint8_t>(x));
}

std::string to_string(agent_status x) {
  return name_of(agent_status_names, x);
}

caf::optional<agent_status> agent_status_from(std::string_view text) {
  return value_named<agent_status>(agent_status_names, text);
}

std::string to_string(cluster_role x) {
  return name_of(cluster_role_names, x);
}

caf::optional<cluster_role> cluster_role_from(std::string_view text) {
  return value_named<cluster_role>(cluster_role_names, text);
}

std::string to_string(execution_mode x) {
  return name_of(execution_mode_names, x);
}

caf::optional<execution_mode> execution_mode_from(std::string_view text) {
  return value_named<execution_mode>(execution_mode_names, text);
}

} // namespace baikal
