#include "actors/agent/kernel_creation.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <utility>

#include "actors/agent/kernel_creation_job.hpp"
#include "actors/agent/kernel_lifecycle.hpp"
#include "actors/agent/kernel_spec.hpp"
#include "actors/agent/kernel_supervision.hpp"
#include "actors/agent/warm_pool_ops.hpp"
#include "actors/supervision/fan_in.hpp"
#include "actors/supervision/guarded_promise.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/agent_op_checks.hpp"

namespace baikal {

namespace {

/// What the kernels of one create_kernels call came to.
struct creation_outcomes {
  std::vector<caf::optional<kernel_info>> results;
  std::vector<std::string> failures;
  /// The failures' common code; agent_error when they differ.
  caf::optional<errc> code;

  void record(size_t index, caf::expected<kernel_info> res) {
    if (res) {
      results[index] = std::move(*res);
      return;
    }
    failures.push_back(message_of(res.error()));
    auto c = code_of(res.error());
    code = !code || *code == c ? c : errc::agent_error;
  }
};

/// The call's answer: every kernel, or one error that lists each failure.
caf::expected<created_kernels> answer_of(creation_outcomes& outcomes) {
  if (!outcomes.failures.empty()) {
    std::string text = std::to_string(outcomes.failures.size()) + " of " +
                       std::to_string(outcomes.results.size()) + " kernels failed: ";
    for (size_t i = 0; i < outcomes.failures.size(); ++i)
      text += (i ? "; " : "") + outcomes.failures[i];
    return make_error(outcomes.code ? *outcomes.code : errc::agent_error, text);
  }
  created_kernels out;
  for (auto& r : outcomes.results)
    out.kernels.push_back(std::move(*r));
  return out;
}

void record_creation(fan_in<creation_outcomes>& batch, size_t index,
                     caf::expected<kernel_info> res) {
  batch.gathered().record(index, std::move(res));
  batch.answered();
}

void acquire_creation_slot(agent_pointer self, std::function<void()> start) {
  auto& st = self->state;
  if (st.creations_running < std::max<uint32_t>(1, st.settings.kernel_creation_concurrency)) {
    ++st.creations_running;
    start();
  } else {
    st.creations_waiting.push_back(std::move(start));
  }
}

} // namespace

kernel_info serve_created_kernel(agent_pointer self, const kernel_creation_config& cfg,
                                 const cluster_info& cluster, const std::string& container_id,
                                 std::vector<service_port> services) {
  auto& st = self->state;
  auto info = make_kernel_info(cfg, st.settings, container_id);
  info.service_ports = std::move(services);
  serve_kernel(self, info, cluster);
  st.creating.erase(cfg.kernel);
  emit(self, kernel_started_event{{cfg.kernel, cfg.session, st.settings.id, ""}, info});
  persist_registry(self);
  return info;
}

void release_creation_slot(agent_pointer self) {
  auto& st = self->state;
  if (!st.creations_waiting.empty()) {
    auto next = std::move(st.creations_waiting.front());
    st.creations_waiting.pop_front();
    next(); // the slot passes to the next creation
    return;
  }
  if (st.creations_running > 0)
    --st.creations_running;
  refill_warm_pools(self); // a slot no kernel waits for
}

caf::result<created_kernels> create_kernels(agent_pointer self, op::create_kernels req) {
  if (auto err = checks::check_op(req, self->state.settings.input_limits))
    return err;
  if (req.kernel_ids.size() != req.configs.size() || req.configs.empty())
    return make_error(errc::invalid_argument,
                      "create_kernels needs one config per kernel id (got " +
                          std::to_string(req.kernel_ids.size()) + " ids and " +
                          std::to_string(req.configs.size()) + " configs)");
  creation_outcomes outcomes;
  outcomes.results.resize(req.configs.size());
  auto promise = make_guarded_promise<created_kernels>(self);
  auto batch = make_fan_in(std::move(outcomes), [promise](creation_outcomes& done) mutable {
    promise.deliver(answer_of(done));
  });
  std::map<std::string, std::shared_ptr<image_check>> images; // one check per distinct image
  for (size_t i = 0; i < req.configs.size(); ++i) {
    auto& cfg = req.configs[i];
    cfg.kernel = req.kernel_ids[i];
    if (cfg.session.empty())
      cfg.session = req.session;
    batch->expect();
    if (auto known = self->state.kernels.find(cfg.kernel); known != self->state.kernels.end()) {
      record_creation(*batch, i, known->second.info); // idempotent: never a second container
      continue;
    }
    if (self->state.creating.count(cfg.kernel)) {
      record_creation(*batch, i,
                      make_error(errc::conflict, "kernel " + cfg.kernel +
                                                     " is already being created on this agent"));
      continue;
    }
    auto& image = images[cfg.image.canonical];
    if (!image)
      image = std::make_shared<image_check>();
    create_one_kernel(
        self, std::move(cfg), req.cluster,
        [batch, i](caf::expected<kernel_info> res) { record_creation(*batch, i, std::move(res)); },
        image);
  }
  batch->release();
  return promise;
}

void create_one_kernel(agent_pointer self, kernel_creation_config cfg, cluster_info cluster,
                       std::function<void(caf::expected<kernel_info>)> done,
                       std::shared_ptr<image_check> image, bool may_take_warm) {
  if (may_take_warm && hand_over_warm_kernel(self, cfg, cluster, done, image))
    return;
  self->state.creating.insert(cfg.kernel);
  auto job = std::make_shared<kernel_creation_job>(self, std::move(cfg), std::move(cluster),
                                                   std::move(done), std::move(image));
  job->write_scratch();
  // The slot is taken only once the image is inspected: the inspect holds no slot.
  when_inspected(self, job->image(), job->config().image.canonical,
                 [self, job] { acquire_creation_slot(self, [job] { job->start(); }); });
}

} // namespace baikal
