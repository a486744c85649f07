#include "actors/agent/kernel_reconcile.hpp"

#include <cstdlib>
#include <map>
#include <string_view>

namespace baikal {

std::string to_string(reconcile_action::kind x) {
  switch (x) {
  case reconcile_action::kind::lose:
    return "lose";
  case reconcile_action::kind::destroy:
    return "destroy";
  case reconcile_action::kind::remove:
    return "remove";
  }
  return "?";
}

bool container_runs(const std::string& state) {
  // Paused and restarting containers still hold the kernel's processes.
  return state == "running" || state == "paused" || state == "restarting";
}

std::optional<int32_t> exit_code_of_status(const std::string& status) {
  constexpr std::string_view prefix = "Exited (";
  if (status.compare(0, prefix.size(), prefix) != 0)
    return std::nullopt;
  const char* start = status.c_str() + prefix.size();
  char* end = nullptr;
  long code = std::strtol(start, &end, 10);
  if (end == start || *end != ')')
    return std::nullopt;
  return static_cast<int32_t>(code);
}

namespace {

std::string short_id(const std::string& id) {
  return id.substr(0, 12);
}

reconcile_action lost(const served_kernel& k, const labelled_container* c) {
  reconcile_action a;
  a.what = reconcile_action::kind::lose;
  a.kernel = k.id;
  a.container = k.container;
  if (!c) {
    a.detail = "its container " + short_id(k.container) + " no longer exists";
    return a;
  }
  a.exit_code = exit_code_of_status(c->status);
  a.detail = "its container " + short_id(k.container) + " is " + c->state +
             (c->status.empty() ? "" : " (" + c->status + ")");
  return a;
}

} // namespace

std::vector<reconcile_action> reconcile_kernels(const std::vector<served_kernel>& served,
                                                const std::set<kernel_id>& left_alone,
                                                const std::vector<labelled_container>& listed) {
  std::map<std::string, const labelled_container*> by_id;
  for (auto& c : listed)
    by_id[c.id] = &c;
  std::vector<reconcile_action> out;
  std::set<std::string> owned;
  for (auto& k : served) {
    owned.insert(k.container);
    auto i = by_id.find(k.container);
    const labelled_container* c = i == by_id.end() ? nullptr : i->second;
    if (!k.destroy_reason.empty()) {
      reconcile_action a;
      a.what = reconcile_action::kind::destroy;
      a.kernel = k.id;
      a.container = k.container;
      a.reason = k.destroy_reason;
      out.push_back(std::move(a));
    } else if (!c || !container_runs(c->state)) {
      out.push_back(lost(k, c));
    }
  }
  for (auto& c : listed) {
    if (owned.count(c.id) || left_alone.count(c.kernel))
      continue;
    reconcile_action a;
    a.what = reconcile_action::kind::remove;
    a.kernel = c.kernel;
    a.container = c.id;
    a.detail =
        "container " + short_id(c.id) + " (" + c.state + ") belongs to no kernel of this agent";
    out.push_back(std::move(a));
  }
  return out;
}

} // namespace baikal
