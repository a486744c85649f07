#include "actors/agent/warm_pool.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

#include "actors/agent/network_names.hpp"

namespace baikal {

bool is_warm_label(const std::string& kernel_label) {
  return kernel_label.rfind(warm_label_prefix, 0) == 0;
}

std::string new_warm_label() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%016llx%08llx", warm_label_prefix,
                static_cast<unsigned long long>(gen()),
                static_cast<unsigned long long>(gen() & 0xffffffffULL));
  return buf;
}

std::optional<std::string> warm_misfit(const kernel_creation_config& cfg,
                                       const cluster_info& cluster, const agent_settings& settings,
                                       const warm_kernel& w) {
  if (cfg.image.canonical != w.image)
    return "its image is " + cfg.image.canonical + ", not " + w.image;
  if (!cfg.image.digest.empty() && cfg.image.digest != w.image_id)
    return "it asks for image " + cfg.image.digest + " and the warm containers run " + w.image_id;
  if (kernel_runtime(cfg.image) != w.runtime || service_table_json(cfg.image) != w.services)
    return std::string{"its image config names another runtime or other services"};
  if (!cfg.mounts.empty())
    return std::string{"it mounts folders, which a started container cannot take"};
  if (cfg.mode != cluster_mode::single_node || cluster.size != 1)
    return std::string{"it is one of several kernels of its session"};
  auto network = kernel_network_mode(cluster);
  if (network != kernel_network_name)
    return "it joins network " + network + ", not the agent's kernel network";
  auto user = kernel_user_of(cfg, settings);
  if (user.uid != w.user.uid || user.gid != w.user.gid || user.groups != w.user.groups)
    return std::string{"it runs as another user than the warm containers"};
  if (kernel_hostname(cfg, network) != w.hostname)
    return "its hostname is " + cfg.cluster_hostname + ", not " + w.hostname;
  // The engine updates limits but cannot lift one: a kernel without one needs a container
  // made without.
  auto wanted = limits_of(cfg.slots);
  if ((wanted.nano_cpus == 0 && w.limits.nano_cpus > 0) ||
      (wanted.memory == 0 && w.limits.memory > 0))
    return std::string{"it has no CPU or memory limit, and the warm containers have one"};
  return std::nullopt;
}

warm_pool::warm_pool(const std::vector<warm_pool_setting>& settings) {
  for (auto& s : settings)
    pools_[s.image].size = s.size;
}

std::optional<warm_kernel> warm_pool::take(const kernel_creation_config& cfg,
                                           const cluster_info& cluster,
                                           const agent_settings& settings, std::string* why) {
  auto i = pools_.find(cfg.image.canonical);
  if (i == pools_.end())
    return std::nullopt;
  auto& ready = i->second.ready;
  if (ready.empty()) {
    if (why)
      *why = "no warm container of " + cfg.image.canonical + " is ready";
    return std::nullopt;
  }
  // Every container of a pool was made alike: the newest one decides for all.
  if (auto misfit = warm_misfit(cfg, cluster, settings, ready.back())) {
    if (why)
      *why = std::move(*misfit);
    return std::nullopt;
  }
  auto out = std::move(ready.back());
  ready.pop_back();
  return out;
}

std::vector<std::string> warm_pool::shortfall(clock::time_point now) const {
  std::vector<std::string> out;
  for (auto& [image, p] : pools_) {
    if (p.retry_at > now)
      continue;
    auto have = p.ready.size() + p.making.size();
    for (auto n = have; n < p.size; ++n)
      out.push_back(image);
  }
  return out;
}

void warm_pool::filling(const std::string& image, const std::string& label) {
  pools_[image].making.insert(label);
}

void warm_pool::filled(warm_kernel k) {
  auto i = pools_.find(k.image);
  if (i == pools_.end())
    return;
  i->second.making.erase(k.label);
  i->second.retry_at = {};
  i->second.ready.push_back(std::move(k));
}

void warm_pool::fill_failed(const std::string& image, const std::string& label,
                            clock::time_point now, clock::duration backoff) {
  auto i = pools_.find(image);
  if (i == pools_.end())
    return;
  i->second.making.erase(label);
  i->second.retry_at = now + backoff;
}

std::optional<warm_kernel> warm_pool::drop(const std::string& label) {
  for (auto& [image, p] : pools_) {
    auto i = std::find_if(p.ready.begin(), p.ready.end(),
                          [&](const warm_kernel& k) { return k.label == label; });
    if (i != p.ready.end()) {
      auto out = std::move(*i);
      p.ready.erase(i);
      return out;
    }
  }
  return std::nullopt;
}

std::vector<warm_kernel> warm_pool::drain() {
  std::vector<warm_kernel> out;
  for (auto& [image, p] : pools_) {
    for (auto& k : p.ready)
      out.push_back(std::move(k));
    p.ready.clear();
    p.size = 0;
  }
  return out;
}

std::map<std::string, std::string> warm_pool::ready_containers() const {
  std::map<std::string, std::string> out;
  for (auto& [image, p] : pools_)
    for (auto& k : p.ready)
      out[k.label] = k.container_id;
  return out;
}

std::set<std::string> warm_pool::labels() const {
  std::set<std::string> out;
  for (auto& [image, p] : pools_) {
    for (auto& k : p.ready)
      out.insert(k.label);
    out.insert(p.making.begin(), p.making.end());
  }
  return out;
}

std::optional<warm_pool::clock::time_point> warm_pool::next_retry() const {
  std::optional<clock::time_point> out;
  for (auto& [image, p] : pools_)
    if (p.retry_at != clock::time_point{} && (!out || p.retry_at < *out))
      out = p.retry_at;
  return out;
}

size_t warm_pool::ready(const std::string& image) const {
  auto i = pools_.find(image);
  return i == pools_.end() ? 0 : i->second.ready.size();
}

size_t warm_pool::making(const std::string& image) const {
  auto i = pools_.find(image);
  return i == pools_.end() ? 0 : i->second.making.size();
}

void warm_pool::remember_limits(const std::string& image, container_limits limits) {
  if (auto i = pools_.find(image); i != pools_.end())
    i->second.limits = limits;
}

container_limits warm_pool::limits_for(const std::string& image) const {
  auto i = pools_.find(image);
  return i == pools_.end() ? container_limits{} : i->second.limits;
}

} // namespace baikal
