#include "actors/manager/session_status.hpp"

#include <array>

namespace baikal {

namespace {

constexpr std::array<const char*, 10> names = {
    "PENDING",  "SCHEDULED", "PREPARING",   "PULLING",    "PREPARED",
    "CREATING", "RUNNING",   "TERMINATING", "TERMINATED", "ERROR",
};

} // namespace

std::string to_string(session_status x) {
  return names[static_cast<size_t>(x)];
}

caf::optional<session_status> session_status_from(const std::string& text) {
  for (size_t i = 0; i < names.size(); ++i)
    if (text == names[i])
      return static_cast<session_status>(i);
  return caf::none;
}

bool is_terminal(session_status x) {
  return x == session_status::terminated || x == session_status::error;
}

bool is_terminal_status(const std::string& text) {
  auto x = session_status_from(text);
  return x && is_terminal(*x);
}

} // namespace baikal
