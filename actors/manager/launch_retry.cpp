#include "actors/manager/launch_retry.hpp"

#include <algorithm>

namespace baikal::launch {

bool is_agent_side(const start_failure& f) {
  if (f.agent.empty())
    return false;
  switch (f.code) {
  case errc::agent_error:
  case errc::runtime_error:
  case errc::timeout:
  case errc::unavailable:
    return true;
  case errc::permission_denied:
  case errc::not_found:
  case errc::invalid_argument:
  case errc::too_large:
  case errc::conflict:
    break;
  }
  return false;
}

std::vector<start_failure> agent_side(const std::vector<start_failure>& failures) {
  std::vector<start_failure> out;
  std::copy_if(failures.begin(), failures.end(), std::back_inserter(out), is_agent_side);
  return out;
}

bool may_retry(const std::vector<start_failure>& failures, uint32_t retries_done, uint32_t limit) {
  return !failures.empty() && retries_done < limit &&
         std::all_of(failures.begin(), failures.end(), is_agent_side);
}

std::vector<agent_id> agents_of(const std::vector<start_failure>& failures) {
  std::vector<agent_id> out;
  for (auto& f : failures)
    if (!f.agent.empty() && std::find(out.begin(), out.end(), f.agent) == out.end())
      out.push_back(f.agent);
  return out;
}

std::string describe(const std::vector<start_failure>& failures) {
  std::string out;
  for (auto& f : failures)
    out += (out.empty() ? "" : "; ") +
           (f.agent.empty() ? std::string{"the manager"} : "agent " + f.agent) + ": " + f.message;
  return out;
}

} // namespace baikal::launch
