#include "actors/manager/session_state.hpp"

#include "actors/supervision/fan_in.hpp"
#include "messages/errors.hpp"

namespace baikal {

namespace {

/// What the answers of probes sent together found.
struct probe_findings {
  size_t active = 0;
  std::vector<std::string> unreachable; ///< agents not connected now
  std::vector<std::string> idle;        ///< what no agent is doing
  std::vector<kernel_id> idle_kernels;  ///< kernels neither created nor being created
};

using probe_tally = fan_in<probe_findings>;

std::pair<agent_id, std::string> split_pull_key(const std::string& key) {
  auto nl = key.find('\n');
  return {key.substr(0, nl), key.substr(nl + 1)};
}

/// The container id in a check_running answer ("container <id>").
std::string container_of(const probe_result& r) {
  const std::string prefix = "container ";
  return r.detail.rfind(prefix, 0) == 0 ? r.detail.substr(prefix.size()) : std::string{};
}

std::string joined(const std::vector<std::string>& xs) {
  std::string out;
  for (auto& x : xs)
    out += (out.empty() ? "" : ", ") + x;
  return out;
}

/// Looks up the handles of `agents`, then runs `then` with them.
template <class F> void with_agents(session_ptr self, std::vector<agent_id> agents, F then) {
  self->request(self->state.ctx->registry, self->state.ctx->phase_probe_after,
                reg::lookup_agents{std::move(agents)})
      .then([then](agent_directory& dir) mutable { then(dir); },
            [self](caf::error& err) {
              self->state.probe_out = false;
              self->state.log->warn("session {}: agent look-up failed: {}", self->state.spec().id,
                                    message_of(err));
              touch(self);
            });
}

// -- pulls --------------------------------------------------------------------------------------

void resend_pulls(session_ptr self, const agent_directory& dir,
                  const std::map<agent_id, std::vector<std::string>>& by_agent) {
  auto& st = self->state;
  st.pulls_resent = true;
  for (auto& [agent, images] : by_agent) {
    auto handle = dir.find(agent);
    if (handle == dir.end())
      continue; // an agent gone from the directory: the session's probes report it
    op::check_and_pull req;
    for (auto& image : images)
      if (auto i = st.images->find(image); i != st.images->end())
        req.images.emplace(image, i->second);
    self->request(handle->second, st.ctx->phase_probe_after, std::move(req))
        .then([](pull_jobs&) {},
              [self, agent = agent](caf::error& err) {
                self->state.log->warn("session {}: check_and_pull on agent {}: {}",
                                      self->state.spec().id, agent, message_of(err));
              });
  }
  touch(self);
}

void decide_pulls(session_ptr self, const probe_findings& t, const agent_directory& dir,
                  const std::map<agent_id, std::vector<std::string>>& by_agent) {
  auto& st = self->state;
  st.probe_out = false;
  if (st.status != session_status::preparing && st.status != session_status::pulling)
    return;
  if (!t.unreachable.empty() || t.active > 0) {
    st.log->info("session {}: still waiting for pulls ({} running, agents not connected: {})",
                 st.spec().id, t.active, joined(t.unreachable));
    return touch(self);
  }
  if (!st.pulls_resent) {
    st.log->warn("session {}: no pull event for {} and no pull running: re-sending check_and_pull",
                 st.spec().id, joined(t.idle));
    return resend_pulls(self, dir, by_agent);
  }
  images_ready(self, "no pull of " + joined(t.idle) +
                         " is running after check_and_pull was re-sent: taken as ready (the "
                         "agent pulls a missing image when creating the kernel)");
}

// -- creation -----------------------------------------------------------------------------------

void probe_kernel(session_ptr self, const std::shared_ptr<probe_tally>& t, agent_actor agent,
                  const kernel_binding& k) {
  auto limit = self->state.ctx->phase_probe_after;
  auto what = "kernel " + k.id + " on agent " + k.agent;
  self->request(agent, limit, op::check_running{k.id})
      .then(
          [=](probe_result& running) {
            if (running.active) {
              kernel_running(self, k.id, container_of(running), "check_running");
              return t->answered();
            }
            self->request(agent, limit, op::check_creating{k.id})
                .then(
                    [=](probe_result& creating) {
                      if (creating.active) {
                        ++t->gathered().active;
                      } else {
                        t->gathered().idle.push_back(what);
                        t->gathered().idle_kernels.push_back(k.id);
                      }
                      t->answered();
                    },
                    [=](caf::error&) {
                      t->gathered().idle.push_back(what);
                      t->gathered().idle_kernels.push_back(k.id);
                      t->answered();
                    });
          },
          [=](caf::error& err) {
            self->state.log->warn("session {}: check_running of {}: {}", self->state.spec().id,
                                  what, message_of(err));
            t->gathered().idle.push_back(what);
            t->answered();
          });
}

void decide_creation(session_ptr self, const probe_findings& t, const agent_directory& dir) {
  auto& st = self->state;
  st.probe_out = false;
  if (st.status != session_status::creating)
    return;
  if (!t.unreachable.empty() || t.active > 0 || st.start_outstanding || t.idle.empty())
    return touch(self);
  if (!st.creates_resent) {
    st.log->warn("session {}: {} neither created nor being created: re-sending create_kernels",
                 st.spec().id, joined(t.idle));
    st.creates_resent = true;
    resend_creates(self, dir, t.idle_kernels);
    return touch(self);
  }
  fail(self, joined(t.idle) + ": neither being created nor running after create_kernels was "
                              "accepted and re-sent");
}

} // namespace

void probe_pulls(session_ptr self) {
  if (self->state.probe_out)
    return touch(self); // the probe out decides, and arms the timer again
  self->state.probe_out = true;
  std::map<agent_id, std::vector<std::string>> by_agent;
  for (auto& key : self->state.pending_pulls) {
    auto [agent, image] = split_pull_key(key);
    by_agent[agent].push_back(image);
  }
  std::vector<agent_id> agents;
  for (auto& entry : by_agent)
    agents.push_back(entry.first);
  with_agents(self, agents, [self, by_agent](const agent_directory& dir) {
    auto t = make_fan_in(probe_findings{}, [self, dir, by_agent](probe_findings& found) {
      decide_pulls(self, found, dir, by_agent);
    });
    for (auto& [agent, images] : by_agent) {
      auto handle = dir.find(agent);
      if (handle == dir.end()) {
        t->gathered().unreachable.push_back(agent);
        continue;
      }
      for (auto& image : images) {
        t->expect();
        self->request(handle->second, self->state.ctx->phase_probe_after, op::check_pulling{image})
            .then(
                [t, image, agent = agent](probe_result& r) {
                  if (r.active)
                    ++t->gathered().active;
                  else
                    t->gathered().idle.push_back(image + " on " + agent);
                  t->answered();
                },
                [t, image, agent = agent](caf::error&) {
                  t->gathered().idle.push_back(image + " on " + agent);
                  t->answered();
                });
      }
    }
    t->release();
  });
}

void probe_creation(session_ptr self) {
  auto& st = self->state;
  std::vector<kernel_binding> waiting;
  for (auto& k : st.spec().kernels)
    if (!st.is_started(k.id))
      waiting.push_back(k);
  if (waiting.empty())
    return;
  if (st.probe_out)
    return touch(self); // the probe out decides, and arms the timer again
  st.probe_out = true;
  with_agents(self, agents_of(st.spec()), [self, waiting](const agent_directory& dir) {
    auto t = make_fan_in(probe_findings{},
                         [self, dir](probe_findings& found) { decide_creation(self, found, dir); });
    for (auto& k : waiting) {
      auto handle = dir.find(k.agent);
      if (handle == dir.end()) {
        t->gathered().unreachable.push_back(k.agent);
        continue;
      }
      t->expect();
      probe_kernel(self, t, handle->second, k);
    }
    t->release();
  });
}

} // namespace baikal
