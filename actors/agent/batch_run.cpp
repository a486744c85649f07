#include "actors/agent/batch_run.hpp"

namespace baikal {

void append_batch_output(std::string& out, const std::vector<console_item>& console,
                         size_t max_bytes) {
  for (auto& item : console)
    out += item.data;
  if (out.size() > max_bytes)
    out.erase(0, out.size() - max_bytes);
}

caf::optional<batch_outcome> batch_outcome_of(const std::string& status) {
  if (status == "finished")
    return batch_outcome::finished;
  if (status == "exec-timeout")
    return batch_outcome::timeout;
  if (status == "continued" || status == "waiting-input")
    return caf::none;
  return batch_outcome::failed;
}

} // namespace baikal
