#include "actors/manager/idle_clock.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "messages/errors.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

caf::error check_idle_timeout(double seconds, const std::string& field) {
  if (std::isfinite(seconds) && seconds >= 0 && seconds <= max_idle_timeout_s)
    return {};
  return make_error(errc::invalid_argument,
                    field + " must be a number of seconds from 0 (never) to " +
                        std::to_string(static_cast<int64_t>(max_idle_timeout_s)));
}

idle_clock::duration idle_limit(double seconds) {
  if (!(seconds > 0))
    return idle_clock::duration::zero();
  return std::chrono::duration_cast<idle_clock::duration>(std::chrono::duration<double>(seconds));
}

idle_decision decide_idle(double idle_timeout_s, idle_clock::time_point last_activity,
                          idle_clock::time_point now) {
  auto limit = idle_limit(idle_timeout_s);
  if (limit == idle_clock::duration::zero())
    return {idle_outcome::never};
  auto deadline = last_activity + limit;
  if (now < deadline)
    // One microsecond past: a timer armed for the exact difference may fire a hair early.
    return {idle_outcome::early, deadline - now + std::chrono::microseconds{1}};
  return {idle_outcome::expired};
}

std::string idle_reason(double idle_timeout_s) {
  std::ostringstream out;
  // Whole seconds print as such (31536000, not 3.1536e+07).
  out << std::setprecision(15) << lifecycle_reason::idle_timeout << ": no activity for "
      << idle_timeout_s << " s";
  return out.str();
}

} // namespace baikal
