#include "actors/manager/launcher.hpp"

#include <algorithm>

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/error_info.hpp"
#include "actors/manager/session_starter.hpp"
#include "actors/manager/start_deadlines.hpp"
#include "actors/supervision/fan_in.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

using start_fan_in = fan_in<start_sessions_report>;

/// A trigger_image_pulling waiting for the next pull pass: the images it wants on each agent,
/// and its answer, due once every one of those agents answered.
struct queued_pull {
  std::map<agent_id, launch::image_configs> per_agent;
  std::shared_ptr<fan_in<nothing_gathered>> pending;
};

/// A session's start: its starter, and the start_sessions call that waits for its outcome.
struct start_in_flight {
  session_starter_actor starter;
  std::shared_ptr<start_fan_in> pending;
};

struct launcher_state {
  std::shared_ptr<const starter_context> ctx;
  std::shared_ptr<spdlog::logger> log = log::get("launcher");
  /// Sessions still starting, by starter. Their steps have no deadline of their own, so they
  /// are stopped with the launcher rather than left waiting on an agent that may never answer.
  std::map<caf::actor_id, start_in_flight> starters;
  /// Each start's deadline; a sweep message is out while any is.
  start_deadlines deadlines;
  bool sweep_queued = false;
  /// Triggers since the last pull pass; a pull_pass message is out while any are.
  std::vector<queued_pull> pulls;
  static inline const char* name = "launcher";

  launcher_state() = default;
  launcher_state(const launcher_state&) = delete;
  launcher_state& operator=(const launcher_state&) = delete;
  ~launcher_state() {
    for (auto& entry : starters)
      caf::anon_send_exit(entry.second.starter, caf::exit_reason::user_shutdown);
    if (ctx)
      for (auto& worker : ctx->keygen)
        caf::anon_send_exit(worker.actor, caf::exit_reason::user_shutdown);
  }
};

using launcher_ptr = launcher_actor::stateful_pointer<launcher_state>;

// -- trigger_image_pulling ---------------------------------------------------------------------

caf::result<ack> pull_images(launcher_ptr self, const op::trigger_image_pulling& req) {
  auto& st = self->state;
  std::vector<std::string> missing;
  auto per_agent = launch::group_images_by_agent(req.sessions, req.image_configs, &missing);
  for (auto& image : missing)
    st.log->error("image pulling: no image config for {}, not pulled", image);
  if (per_agent.empty())
    return ack{};
  auto promise = make_guarded_promise<ack>(self);
  auto pending = make_fan_in([promise]() mutable { promise.deliver(ack{}); });
  pending->expect(per_agent.size());
  pending->release();
  // Every trigger that reaches the mailbox before the pass shares its check_and_pull per agent.
  if (st.pulls.empty())
    self->send(self, op::pull_pass{});
  st.pulls.push_back(queued_pull{std::move(per_agent), std::move(pending)});
  return promise;
}

/// Asks each agent once for the images of every trigger queued since the last pass; each
/// trigger is answered once all its agents answered (a failure is noted, never fatal).
void pull_pass(launcher_ptr self) {
  auto& st = self->state;
  auto queued = std::move(st.pulls);
  st.pulls.clear();
  std::vector<std::map<agent_id, launch::image_configs>> wanted;
  wanted.reserve(queued.size());
  for (auto& q : queued)
    wanted.push_back(std::move(q.per_agent));
  for (auto& [agent, pull] : launch::merge_pulls(wanted)) {
    std::vector<std::shared_ptr<fan_in<nothing_gathered>>> waiting;
    for (auto i : pull.triggers)
      waiting.push_back(queued[i].pending);
    auto answered = [waiting = std::move(waiting)] {
      for (auto& pending : waiting)
        pending->answered();
    };
    auto i = st.ctx->agents.find(agent);
    if (i == st.ctx->agents.end()) {
      st.log->error("image pulling: agent {} is not connected, skipped", agent);
      answered();
      continue;
    }
    self->request(i->second, st.ctx->cfg.pull_request_timeout, op::check_and_pull{pull.images})
        .then([answered](const pull_jobs&) { answered(); },
              [answered, log = st.log, agent = agent](caf::error& err) {
                // Like the reference's gather(return_exceptions=True): noted, never fatal.
                log->error("image pulling failed on agent {}: {}", agent, message_of(err));
                answered();
              });
  }
}

// -- start_sessions ----------------------------------------------------------------------------

void add_outcome(const std::shared_ptr<start_fan_in>& pending, session_start_outcome outcome) {
  pending->gathered().outcomes.push_back(std::move(outcome));
  pending->answered();
}

void on_start_timeout(launcher_ptr self, const session_id& id,
                      const std::shared_ptr<start_fan_in>& pending) {
  auto& ctx = self->state.ctx;
  auto seconds = std::chrono::duration<double>(ctx->cfg.session_start_timeout).count();
  auto timeout = make_error(errc::timeout, "starting session " + id + " took longer than " +
                                               std::to_string(seconds) + " s");
  self->state.log->warn("Timeout starting session {}: {}", id, message_of(timeout));
  auto outcome = session_start_outcome{id, to_string(errc::timeout), message_of(timeout), {}};
  auto info = launch::make_error_info({launch::launch_failure{{}, timeout}});
  self->request(ctx->repository, ctx->cfg.session_start_timeout,
                repo::update_session_error_info{id, info})
      .then([pending, outcome](ack) { add_outcome(pending, outcome); },
            [self, pending, outcome](caf::error& err) {
              self->state.log->error("cannot record the timeout of session {}: {}", outcome.session,
                                     message_of(err));
              add_outcome(pending, outcome);
            });
}

void queue_sweep(launcher_ptr self) {
  auto& st = self->state;
  if (st.sweep_queued || st.deadlines.empty())
    return;
  st.sweep_queued = true;
  self->delayed_send(self, start_deadlines::sweep_every(st.ctx->cfg.session_start_timeout),
                     op::sweep_start_deadlines{});
}

/// The start of `starter` has ended: its fan-in, or none when the sweep already answered it as
/// timed out.
std::shared_ptr<start_fan_in> finish_start(launcher_ptr self, caf::actor_id starter) {
  auto& st = self->state;
  auto i = st.starters.find(starter);
  if (i == st.starters.end())
    return nullptr;
  auto pending = std::move(i->second.pending);
  st.starters.erase(i);
  st.deadlines.finish(starter);
  return pending;
}

void start_one(launcher_ptr self, scheduled_session session,
               std::shared_ptr<const launch::image_configs> images,
               const std::shared_ptr<start_fan_in>& pending, const start_progress_sink& progress) {
  auto& st = self->state;
  auto id = session.id;
  auto starter = self->spawn(session_starter, st.ctx, std::move(session), images, progress);
  st.starters.emplace(starter.id(), start_in_flight{starter, pending});
  st.deadlines.add(starter.id(), id,
                   start_deadlines::clock::now() + st.ctx->cfg.session_start_timeout);
  queue_sweep(self);
  // No request timeout: the sweep ends a start past its deadline (start_deadlines.hpp).
  self->request(starter, caf::infinite, start_atom::value)
      .then(
          [self, who = starter.id()](session_start_outcome& outcome) {
            if (auto waiting = finish_start(self, who))
              add_outcome(waiting, std::move(outcome));
          },
          [self, id, who = starter.id()](caf::error& err) {
            if (auto waiting = finish_start(self, who))
              add_outcome(waiting, {id, to_string(code_of(err)), message_of(err), {}});
          });
}

/// Starts past their deadline end as timed out; their starters are stopped (whatever a
/// stopped starter answers comes too late to count).
void sweep(launcher_ptr self) {
  auto& st = self->state;
  st.sweep_queued = false;
  for (auto& [starter, session] : st.deadlines.take_expired(start_deadlines::clock::now())) {
    auto i = st.starters.find(starter);
    if (i == st.starters.end())
      continue;
    auto started = std::move(i->second);
    st.starters.erase(i);
    self->send_exit(started.starter, caf::exit_reason::user_shutdown);
    on_start_timeout(self, session, started.pending);
  }
  queue_sweep(self);
}

caf::result<start_sessions_report> start_sessions(launcher_ptr self, op::start_sessions& req) {
  if (req.sessions.empty())
    return start_sessions_report{};
  auto promise = make_guarded_promise<start_sessions_report>(self);
  auto pending =
      make_fan_in(start_sessions_report{}, [promise](start_sessions_report& report) mutable {
        promise.deliver(std::move(report));
      });
  pending->expect(req.sessions.size());
  auto images = std::make_shared<const launch::image_configs>(std::move(req.image_configs));
  for (auto& session : req.sessions)
    start_one(self, std::move(session), images, pending, req.progress);
  pending->release();
  return promise;
}

ack update_agents(launcher_ptr self, op::update_agent_directory& req) {
  // Starters in flight keep the directory they started with. With none, the context changes in
  // place: a copy per change made a fleet of N agents joining cost N copies of N entries.
  auto next = self->state.ctx.use_count() == 1
                  ? std::const_pointer_cast<starter_context>(self->state.ctx)
                  : std::make_shared<starter_context>(*self->state.ctx);
  for (auto& id : req.left)
    next->agents.erase(id);
  for (auto& [id, handle] : req.joined)
    next->agents[id] = handle;
  self->state.ctx = std::move(next);
  return {};
}

/// A keygen worker: detached (RSA generation is CPU-bound and would hold a scheduler thread),
/// monitored and not linked. It ends with the launcher (launcher_state's destructor); one that
/// fails loses only the keypairs it was asked for, and another takes its place.
keygen_worker spawn_keygen(launcher_ptr self, const keypair_source& source, size_t ahead) {
  auto gauge = std::make_shared<keygen_gauge>();
  return {self->spawn<caf::detached + caf::monitored>(ssh_keygen, source, ahead, gauge), gauge};
}

void replace_keygen(launcher_ptr self, const caf::down_msg& dm, const keypair_source& source) {
  auto& workers = self->state.ctx->keygen;
  auto i = std::find_if(workers.begin(), workers.end(),
                        [&](auto& w) { return w.actor.address() == dm.source; });
  if (i == workers.end())
    return;
  self->state.log->error("an SSH keypair worker ended ({}); starting another",
                         self->system().render(dm.reason));
  auto next = std::make_shared<starter_context>(*self->state.ctx);
  next->keygen[static_cast<size_t>(i - workers.begin())] =
      spawn_keygen(self, source, next->cfg.keypairs_made_ahead);
  self->state.ctx = std::move(next);
}

launcher_actor::behavior_type launcher(launcher_ptr self, launcher_config cfg, launcher_deps deps) {
  // Linked to the front (manager_front.cpp): a launcher failure stops the manager process.
  stop_alone_on_exception(self, "the launcher");
  auto ctx = std::make_shared<starter_context>();
  for (size_t i = 0; i < std::max<size_t>(cfg.keygen_workers, 1); ++i)
    ctx->keygen.push_back(spawn_keygen(self, deps.keypairs, cfg.keypairs_made_ahead));
  self->set_down_handler(
      [self, source = deps.keypairs](caf::down_msg& dm) { replace_keygen(self, dm, source); });
  ctx->cfg = std::move(cfg);
  ctx->agents = std::move(deps.agents);
  ctx->repository = std::move(deps.repository);
  ctx->network_plugins = std::move(deps.network_plugins);
  self->state.ctx = std::move(ctx);
  return {
      [self](op::trigger_image_pulling& req) { return pull_images(self, req); },
      [self](op::start_sessions& req) { return start_sessions(self, req); },
      [self](op::update_agent_directory& req) { return update_agents(self, req); },
      [self](op::sweep_start_deadlines) { sweep(self); },
      [self](op::pull_pass) { pull_pass(self); },
  };
}

} // namespace

launcher_actor spawn_launcher(caf::actor_system& sys, launcher_config cfg, launcher_deps deps) {
  return sys.spawn(launcher, std::move(cfg), std::move(deps));
}

} // namespace baikal
