#include "actors/manager/session_state.hpp"

#include <algorithm>

namespace baikal {

size_t kernel_index(const scheduled_session& spec, const kernel_id& id) {
  size_t i = 0;
  while (i < spec.kernels.size() && spec.kernels[i].id != id)
    ++i;
  return i;
}

bool session_state::is_started(const kernel_id& kernel) const {
  auto i = kernel_index(spec(), kernel);
  return i < started.size() && started[i];
}

bool session_state::mark_started(const kernel_id& kernel) {
  auto i = kernel_index(spec(), kernel);
  if (i == spec().kernels.size() || is_started(kernel))
    return false;
  started.resize(spec().kernels.size());
  started[i] = true;
  ++started_count;
  return true;
}

std::vector<agent_id> agents_of(const scheduled_session& spec) {
  std::vector<agent_id> out;
  for (auto& k : spec.kernels)
    if (std::find(out.begin(), out.end(), k.agent) == out.end())
      out.push_back(k.agent);
  return out;
}

} // namespace baikal
