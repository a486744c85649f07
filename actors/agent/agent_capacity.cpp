#include "actors/agent/agent_capacity.hpp"

#include "runtime/checks/numbers.hpp"

namespace baikal {

namespace {

// A positive number stored under `key` in `kind`'s metadata.
bool read_number(const hardware_info& hw, const char* kind, const char* key, double& out) {
  auto k = hw.kinds.find(kind);
  if (k == hw.kinds.end())
    return false;
  auto v = k->second.metadata.find(key);
  if (v == k->second.metadata.end())
    return false;
  auto x = checks::parse_number(v->second);
  if (!x || !(*x > 0))
    return false;
  out = *x;
  return true;
}

} // namespace

resource_slots agent_capacity(const hardware_info& hw, const resource_slots& configured) {
  resource_slots out;
  double x = 0;
  if (read_number(hw, "cpu", "cores", x))
    out["cpu"] = x;
  if (read_number(hw, "memory", "total_bytes", x))
    out["mem"] = x;
  if (read_number(hw, "gpu", "count", x))
    out["cuda.device"] = x;
  for (auto& [slot, amount] : configured)
    out[slot] = amount;
  return out;
}

} // namespace baikal
