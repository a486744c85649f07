#include "actors/manager/front_agents.hpp"

#include <algorithm>

#include "actors/manager/front_placement.hpp"
#include "actors/supervision/guarded_promise.hpp"
#include "messages/errors.hpp"

namespace baikal::front_steps {

namespace {

/// Stores the drain, then applies it: a drain answered is one a restart keeps.
void store_drain(front_ptr self, const api::set_agent_drain& x, guarded_promise<ack> rp) {
  self->request(self->state.deps.store, caf::infinite,
                repo::set_agent_drained{x.agent, x.drained, x.by})
      .then(
          [self, rp, x](ack) mutable {
            auto& st = self->state;
            st.agents.set_drained(x.agent, x.drained, st.book.slots());
            st.metrics.drained_agents = static_cast<int64_t>(st.agents.drained_count());
            st.log->info("agent {} {} by {}: {}", x.agent, x.drained ? "drained" : "undrained",
                         x.by,
                         x.drained ? "it gets no new kernels, its running ones stay"
                                   : "it takes new kernels again");
            // Waiting sessions are placed (undrain) or told the drain is why they wait.
            queue_pass(self);
            rp.deliver(ack{});
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

} // namespace

void agent_changed(front_ptr self, front::agent_changed& x) {
  auto& st = self->state;
  if (st.agents.update(std::move(x.record), std::move(x.handle), st.book.slots(), st.metrics))
    queue_pass(self);
}

caf::result<std::vector<agent_view>> list_agents(front_ptr self) {
  auto rp = make_guarded_promise<std::vector<agent_view>>(self);
  self->request(self->state.deps.registry, self->state.settings.timeouts.internal_call,
                reg::list_agent_records{})
      .then(
          [self, rp](std::vector<agent_record>& records) mutable {
            auto& st = self->state;
            rp.deliver(st.agents.views(std::move(records), st.book.slots(), clock::now()));
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

caf::result<ack> set_agent_drain(front_ptr self, const api::set_agent_drain& x) {
  auto& st = self->state;
  auto rp = make_guarded_promise<ack>(self);
  if (st.agents.find(x.agent) || st.agents.drained(x.agent)) {
    store_drain(self, x, rp);
    return rp;
  }
  // The registry also lists the agents the store knows that did not come back since a restart
  // (it tells the front about changes only).
  self->request(st.deps.registry, st.settings.timeouts.internal_call, reg::list_agent_records{})
      .then(
          [self, rp, x](std::vector<agent_record>& records) mutable {
            auto known = std::any_of(records.begin(), records.end(),
                                     [&](const agent_record& r) { return r.id == x.agent; });
            if (known)
              return store_drain(self, x, rp);
            rp.deliver(make_error(errc::not_found,
                                  "no agent " + x.agent + " (GET /v1/agents lists the agents)"));
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

} // namespace baikal::front_steps
