#include "actors/manager/session_starter.hpp"

#include <algorithm>
#include <functional>

#include <caf/duration.hpp>
#include <caf/send.hpp>

#include "actors/manager/error_info.hpp"
#include "actors/supervision/fan_in.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

using ctx_ptr = std::shared_ptr<const starter_context>;
using launch::launch_failure;

// The session deadline (the launcher's request to this actor) is the only deadline: a step
// timing out on its own would race it and write a second error info. A peer that dies fails
// its request at once; one that goes silent is covered by the deadline.
const caf::duration step_timeout{caf::infinite};

auto& logger() {
  static auto instance = log::get("launcher");
  return instance;
}

/// CAF's own errors (a request timeout, a dead receiver) become Baikal errors here, so the
/// launcher can tell the session timeout, which it owns, from anything a step reported.
caf::error own(const caf::error& err) {
  return make_error(code_of(err), message_of(err));
}

/// The failures of requests sent together, gathered until the last answers.
using failure_fan_in = fan_in<std::vector<launch_failure>>;

void answer(const std::shared_ptr<failure_fan_in>& pending,
            caf::optional<launch_failure> failure = caf::none) {
  if (failure)
    pending->gathered().push_back(std::move(*failure));
  pending->answered();
}

caf::expected<agent_actor> agent_of(const ctx_ptr& ctx, const agent_id& id) {
  auto i = ctx->agents.find(id);
  if (i == ctx->agents.end() || !i->second)
    return make_error(errc::agent_error, "agent " + id + " is not connected to the manager");
  return i->second;
}

void finish(session_starter_ptr self) {
  self->state.rp.deliver(session_start_outcome{self->state.session.id, {}, {}, {}});
  self->quit();
}

session_start_outcome outcome_of(const session_id& id,
                                 const std::vector<launch_failure>& failures) {
  auto answer = launch::summarize(failures);
  session_start_outcome out{id, to_string(code_of(answer)), message_of(answer), {}};
  for (auto& f : failures)
    out.failures.push_back(start_failure{f.agent, code_of(f.error), message_of(f.error)});
  return out;
}

// Writes the error info first so that whoever sees the answer also finds the info stored.
void fail(session_starter_ptr self, const ctx_ptr& ctx, std::vector<launch_failure> failures) {
  auto& id = self->state.session.id;
  // Answers arrive in any order; sorted, the same failures always give the same error info.
  std::stable_sort(failures.begin(), failures.end(),
                   [](auto& x, auto& y) { return x.agent < y.agent; });
  auto info = launch::make_error_info(failures);
  auto answer = outcome_of(id, failures);
  logger()->warn("failed to start session {}: {}", id, answer.message);
  auto deliver = [self, answer] {
    self->state.rp.deliver(answer);
    self->quit();
  };
  self->request(ctx->repository, step_timeout, repo::update_session_error_info{id, info})
      .then([deliver](ack) { deliver(); },
            [deliver, id](caf::error& err) {
              logger()->error("cannot record the error info of session {}: {}", id,
                              message_of(err));
              deliver();
            });
}

void fail_one(session_starter_ptr self, const ctx_ptr& ctx, agent_id agent, caf::error err) {
  fail(self, ctx, {launch_failure{std::move(agent), own(err)}});
}

// -- step 5: kernels ---------------------------------------------------------------------------

void create_kernels(session_starter_ptr self, const ctx_ptr& ctx, ssh_keypair keys) {
  auto& st = self->state;
  auto cluster = launch::make_cluster_info(st.session, st.network, std::move(keys), st.ssh_ports);
  auto groups = launch::group_kernels_by_agent(st.session);
  auto pending = make_fan_in(std::vector<launch_failure>{},
                             [self, ctx](std::vector<launch_failure>& failures) {
                               if (failures.empty())
                                 finish(self);
                               else
                                 fail(self, ctx, std::move(failures));
                             });
  pending->expect(groups.size());
  for (auto& [agent, kernels] : groups) {
    auto handle = agent_of(ctx, agent);
    if (!handle) {
      answer(pending, launch_failure{agent, handle.error()});
      continue;
    }
    auto req = launch::make_create_kernels(st.session, kernels, st.images, cluster);
    self->request(*handle, step_timeout, std::move(req))
        .then([pending](const created_kernels&) { answer(pending); },
              [pending, agent = agent, id = st.session.id](caf::error& err) {
                logger()->error("create_kernels of session {} failed on agent {}: {}", id, agent,
                                message_of(err));
                answer(pending, launch_failure{agent, own(err)});
              });
  }
  pending->release();
}

// -- steps 3 and 4: record the network, make the keypair ---------------------------------------

void tell(session_starter_ptr self, std::string status_info) {
  auto& st = self->state;
  if (st.progress)
    self->send(st.progress, start_progress{st.session.id, std::move(status_info)});
}

void tell_keypair_wait(session_starter_ptr self, std::string notice) {
  self->state.keypair_wait_told = true;
  tell(self, std::move(notice));
}

void check_keypair_wait(session_starter_ptr self) {
  auto& st = self->state;
  if (!st.keypair_came && !st.keypair_wait_told)
    tell_keypair_wait(self, keypair_wait_info(st.session.kernels.size()));
}

void ask_for_keypair(session_starter_ptr self, const ctx_ptr& ctx) {
  auto& st = self->state;
  // Spread sessions over the workers; the id is as good a hash as any.
  auto& worker = ctx->keygen[std::hash<std::string>{}(st.session.id) % ctx->keygen.size()];
  auto kernels = st.session.kernels.size();
  auto reading = read(*worker.gauge);
  if (auto notice = keypair_wait_notice(reading, kernels))
    tell_keypair_wait(self, std::move(*notice));
  else if (keypair_wait_unknown(reading))
    self->delayed_send(self, keypair_wait_worth_telling, keypair_wait_check_atom::value);
  auto asking = std::make_shared<keygen_ask>(worker.gauge);
  self->request(worker.actor, step_timeout, keygen_atom::value)
      .then(
          [self, ctx, asking, kernels](ssh_keypair& keys) {
            self->state.keypair_came = true;
            if (self->state.keypair_wait_told)
              tell(self, creating_kernels_info(kernels));
            create_kernels(self, ctx, std::move(keys));
          },
          [self, ctx, asking](caf::error& err) { fail_one(self, ctx, {}, err); });
}

void after_network(session_starter_ptr self, const ctx_ptr& ctx) {
  auto& st = self->state;
  if (st.network_name.empty()) {
    // Recorded all the same (the reference records it for every session), but nothing would
    // be lost with it in a crash, so the start does not wait for the store's commit.
    caf::anon_send(ctx->repository, repo::update_session_network_id{st.session.id, {}});
    return ask_for_keypair(self, ctx);
  }
  // A network to clean up after a crash: recorded and committed before any kernel joins it.
  self->request(ctx->repository, step_timeout,
                repo::update_session_network_id{st.session.id, st.network_name})
      .then([self, ctx](ack) { ask_for_keypair(self, ctx); },
            [self, ctx](caf::error& err) { fail_one(self, ctx, {}, err); });
}

// -- step 2: network ---------------------------------------------------------------------------

void assign_ssh_ports(session_starter_ptr self, const ctx_ptr& ctx) {
  auto& kernels = self->state.session.kernels;
  auto pending = make_fan_in(std::vector<launch_failure>{},
                             [self, ctx](std::vector<launch_failure>& failures) {
                               if (failures.empty())
                                 after_network(self, ctx);
                               else
                                 fail(self, ctx, std::move(failures));
                             });
  pending->expect(kernels.size());
  for (auto& kernel : kernels) {
    auto handle = agent_of(ctx, kernel.agent);
    if (!handle) {
      answer(pending, launch_failure{kernel.agent, handle.error()});
      continue;
    }
    // Keyed by the kernel's cluster hostname: that is what the agent looks its port up by.
    auto host = launch::host_of(kernel.agent_addr);
    self->request(*handle, step_timeout, op::assign_port{})
        .then(
            [self, pending, host, name = launch::hostname_of(kernel)](const assigned_port& port) {
              self->state.ssh_ports[name] = host_port{host, port.port};
              answer(pending);
            },
            [pending, agent = kernel.agent](caf::error& err) {
              answer(pending, launch_failure{agent, own(err)});
            });
  }
  pending->release();
}

void setup_network(session_starter_ptr self, const ctx_ptr& ctx) {
  auto& st = self->state;
  auto kind = launch::plan_network(st.session);
  switch (kind) {
  case launch::network_kind::default_bridge:
    st.network = {"bridge", "", {}};
    return after_network(self, ctx);
  case launch::network_kind::persistent:
    if (st.session.network_id.empty())
      return fail_one(
          self, ctx, {},
          make_error(errc::invalid_argument, "a PERSISTENT network session needs a network id"));
    st.network_name = launch::persistent_network_name(st.session.network_id);
    st.network = {"bridge", st.network_name, {}};
    return after_network(self, ctx);
  case launch::network_kind::host:
    st.network = {"host", "", {}};
    if (!launch::needs_ssh_ports(st.session))
      return after_network(self, ctx);
    return assign_ssh_ports(self, ctx);
  case launch::network_kind::local_bridge: {
    st.network_name = launch::single_node_network_name(st.session.id);
    st.network = {"bridge", st.network_name, {}};
    auto& agent = st.session.kernels.front().agent;
    auto handle = agent_of(ctx, agent);
    if (!handle)
      return fail_one(self, ctx, agent, handle.error());
    self->request(*handle, step_timeout, op::create_local_network{st.network_name})
        .then([self, ctx](ack) { after_network(self, ctx); },
              [self, ctx, agent](caf::error& err) { fail_one(self, ctx, agent, err); });
    return;
  }
  case launch::network_kind::plugin: {
    auto driver = ctx->cfg.default_network_driver;
    auto plugin = ctx->network_plugins.find(driver);
    if (!plugin) {
      logger()->error("session {}: {}", st.session.id, message_of(plugin.error()));
      return fail_one(self, ctx, {}, plugin.error());
    }
    self->request(*plugin, step_timeout, net::create_network{st.session.id})
        .then(
            [self, ctx, driver](network_info& info) {
              self->state.network_name = info.network_id;
              self->state.network = {driver, info.network_id, std::move(info.options)};
              after_network(self, ctx);
            },
            [self, ctx](caf::error& err) { fail_one(self, ctx, {}, err); });
    return;
  }
  }
}

// -- step 1: check -----------------------------------------------------------------------------

void start(session_starter_ptr self, const ctx_ptr& ctx, const launch::image_configs& configs) {
  auto& st = self->state;
  if (st.session.kernels.empty())
    return fail_one(self, ctx, {},
                    make_error(errc::invalid_argument,
                               "session " + st.session.id + " has no kernels to start"));
  // Checked before any network exists, so a session that cannot start leaves nothing behind.
  auto images = launch::resolve_images(st.session, configs);
  if (!images) {
    logger()->error("session {}: {}", st.session.id, message_of(images.error()));
    return fail_one(self, ctx, {}, images.error());
  }
  st.images = std::move(*images);
  setup_network(self, ctx);
}

} // namespace

session_starter_actor::behavior_type
session_starter(session_starter_ptr self, std::shared_ptr<const starter_context> ctx,
                scheduled_session session, std::shared_ptr<const launch::image_configs> images,
                start_progress_sink progress) {
  self->state.session = std::move(session);
  self->state.progress = std::move(progress);
  stop_alone_on_exception(self,
                          [self] { return "the start of session " + self->state.session.id; });
  return {
      [self, ctx, images](start_atom) -> caf::result<session_start_outcome> {
        self->state.rp = make_guarded_promise<session_start_outcome>(self);
        start(self, ctx, *images);
        return self->state.rp;
      },
      [self](keypair_wait_check_atom) { check_keypair_wait(self); },
  };
}

} // namespace baikal
