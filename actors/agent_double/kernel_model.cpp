#include "actors/agent_double/kernel_model.hpp"

#include <string>
#include <vector>

#include <caf/none.hpp>

namespace baikal::agent_double::detail {

caf::result<pull_jobs> answer(self_ptr self, op::check_and_pull& x) {
  auto& st = self->state;
  auto err = st.book->with([](ledger& l) {
    ++l.pulls;
    return l.failure<op::check_and_pull>();
  });
  if (err)
    return err;
  pull_jobs jobs{st.opts.pull_jobs};
  for (auto& entry : x.images) {
    auto fixed = st.opts.pull_jobs.find(entry.first);
    auto job = fixed == st.opts.pull_jobs.end() ? "job-" + entry.first : fixed->second;
    if (st.opts.pull_jobs.empty())
      jobs.jobs[entry.first] = job;
    if (!st.opts.images_present)
      report(self, image_pull_event{image_pull_event::phase::started, st.opts.id, entry.first, job,
                                    "pulling", 0, 0, 0});
    image_pull_event done{image_pull_event::phase::finished,
                          st.opts.id,
                          entry.first,
                          job,
                          st.opts.images_present ? "image already exists"
                                                 : st.opts.pull_finished_message,
                          0,
                          0,
                          0};
    ++st.pulls_in_flight;
    after(self, st.opts.pull, [self, done]() mutable {
      --self->state.pulls_in_flight;
      report(self, std::move(done));
    });
  }
  return jobs;
}

namespace {

caf::expected<created_kernels> finish_create(self_ptr self, const op::create_kernels& x) {
  auto& st = self->state;
  for (auto& k : x.kernel_ids)
    if (auto i = st.creating.find(k); i != st.creating.end())
      st.creating.erase(i);
  bool lose = false;
  auto err = st.book->with([&](ledger& l) {
    auto failure = l.failure<op::create_kernels>();
    lose = !failure && l.lose_creates > 0;
    if (lose)
      --l.lose_creates;
    return failure;
  });
  if (err)
    return err;
  created_kernels out;
  out.kernels.reserve(x.kernel_ids.size());
  for (auto& k : x.kernel_ids)
    out.kernels.push_back(
        kernel_info{k, x.session, st.opts.id, "127.0.0.1", "c-" + k, "default", {}, {}, {}, {}});
  if (!lose)
    st.book->with([&](ledger& l) {
      for (auto& info : out.kernels)
        l.running[info.id] = info.container_id;
      return 0;
    });
  for (auto& info : out.kernels) {
    kernel_started_event e{{info.id, x.session, st.opts.id, ""}, info};
    bool held = st.book->with([&](ledger& l) {
      if (l.hold_started_events)
        l.held_started.push_back(e);
      return l.hold_started_events;
    });
    if (!held)
      report(self, std::move(e));
  }
  return out;
}

} // namespace

caf::result<created_kernels> answer(self_ptr self, op::create_kernels& x) {
  auto& st = self->state;
  st.book->with([&](ledger& l) {
    if (l.record_cluster_keys)
      l.cluster_public_keys[x.session] = x.cluster.ssh.public_key;
    return ++l.creates;
  });
  for (auto& k : x.kernel_ids) {
    st.creating.insert(k);
    kernel_event_header h{k, x.session, st.opts.id, ""};
    report(self, kernel_preparing_event{h});
    report(self, kernel_creating_event{h});
  }
  if (st.opts.creates_hang) {
    // The request stays pending for ever: whoever asked must time out.
    st.hung.push_back(self->make_response_promise<created_kernels>());
    return st.hung.back();
  }
  return finish_after<created_kernels>(self, st.opts.create,
                                       [self, x = std::move(x)] { return finish_create(self, x); });
}

namespace {

caf::expected<ack> finish_destroy(self_ptr self, const op::destroy_kernel& x) {
  auto& st = self->state;
  auto err = failure<op::destroy_kernel>(self);
  if (err)
    return err;
  bool known = st.book->with([&](ledger& l) { return l.running.erase(x.kernel) > 0; });
  if (!known) {
    if (st.opts.destroy_unknown_fails)
      return make_error(errc::not_found, "kernel " + x.kernel + " is not known");
    return ack{};
  }
  if (!x.suppress_events)
    report(self, kernel_terminated_event{{x.kernel, x.session, st.opts.id, x.reason}, caf::none});
  return ack{};
}

} // namespace

caf::result<ack> answer(self_ptr self, op::destroy_kernel& x) {
  self->state.book->with([](ledger& l) { return ++l.destroyed; });
  return finish_after<ack>(self, self->state.opts.destroy,
                           [self, x = std::move(x)] { return finish_destroy(self, x); });
}

caf::result<ack> answer(self_ptr self, op::sync_kernel_registry& x) {
  if (auto err = failure<op::sync_kernel_registry>(self))
    return err;
  auto& st = self->state;
  std::vector<kernel_session> gone;
  st.book->with([&](ledger& l) {
    l.syncs.push_back(x.kernels);
    for (auto& ks : x.kernels)
      if (!l.running.count(ks.kernel) && !st.creating.count(ks.kernel))
        gone.push_back(ks);
    return 0;
  });
  for (auto& ks : gone)
    report(self, kernel_terminated_event{
                     {ks.kernel, ks.session, st.opts.id, lifecycle_reason::already_terminated},
                     caf::none});
  return ack{};
}

caf::result<ack> answer(self_ptr self, op::create_local_network& x) {
  if (auto err = failure<op::create_local_network>(self))
    return err;
  self->state.book->with([&](ledger& l) { return l.networks.insert(x.network_name); });
  return ack{};
}

caf::result<ack> answer(self_ptr self, op::destroy_local_network& x) {
  if (auto err = failure<op::destroy_local_network>(self))
    return err;
  self->state.book->with([&](ledger& l) {
    ++l.network_destroys;
    return l.networks.erase(x.network_name);
  });
  return ack{};
}

probe_result answer(self_ptr self, op::check_pulling&) {
  bool busy = self->state.pulls_in_flight > 0;
  return probe_result{busy, busy ? "pulls running" : "no pull running"};
}

probe_result answer(self_ptr self, op::check_creating& x) {
  bool busy = self->state.creating.count(x.kernel) > 0;
  return probe_result{busy, busy ? "being created" : "not being created"};
}

probe_result answer(self_ptr self, op::check_running& x) {
  auto container = self->state.book->with([&](ledger& l) {
    ++l.running_checks;
    auto i = l.running.find(x.kernel);
    return i == l.running.end() ? std::string{} : i->second;
  });
  if (container.empty())
    return probe_result{false, "kernel " + x.kernel + " is not running"};
  return probe_result{true, "container " + container};
}

caf::result<assigned_port> answer(self_ptr self, op::assign_port&) {
  if (auto err = failure<op::assign_port>(self))
    return err;
  return assigned_port{self->state.opts.port};
}

std::string answer(self_ptr, op::ping& x) {
  return x.msg;
}
ack answer(self_ptr, op::release_port&) {
  return {};
}
ack answer(self_ptr, op::update_scaling_group&) {
  return {};
}
hardware_info answer(self_ptr, op::gather_hwinfo&) {
  return {};
}
ack answer(self_ptr, op::shutdown&) {
  return {};
}

} // namespace baikal::agent_double::detail
