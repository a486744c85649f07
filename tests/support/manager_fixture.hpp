#pragma once

/// A whole manager (spawn_manager on a store in a temporary directory) with fake agents that
/// join it through its registry, and helpers to drive sessions through the manager's front the
/// way the HTTP API does. Short probe and heartbeat settings keep the tests quick; everything
/// spawned here is stopped before the actor system goes away.

#include <doctest/doctest.h>

#include <chrono>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/manager.hpp"
#include "messages/errors.hpp"
#include "runtime/ssh/keypair.hpp"
#include "runtime/store/session_store.hpp"
#include "support/eventually.hpp"
#include "support/fake_agent.hpp"
#include "support/store_places.hpp"
#include "support/temp_dir.hpp"
#include "support/why.hpp"

namespace baikal::test {

struct manager_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  temp_dir dir{"baikal-manager"};
  manager_settings settings;
  manager_handles m;
  bool running = false;
  std::vector<caf::actor> agents;

  manager_fixture() {
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
    settings.store_path = (dir.path / "manager.db").string();
    settings.heartbeat_interval = std::chrono::seconds{10};
    settings.phase_probe_after = std::chrono::milliseconds{200};
    settings.session_start_timeout = std::chrono::seconds{20};
    // Idle RUNNING sessions park at once: every test that acts on a RUNNING session then
    // wakes it too.
    settings.park_idle_after = std::chrono::milliseconds{0};
    static const auto ready = ssh::generate_cluster_keypair();
    settings.keypairs = [] { return ready; };
  }

  ~manager_fixture() {
    stop();
    for (auto& a : agents)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    sys.reset();
  }

  void start() {
    auto handles = spawn_manager(*sys, settings);
    REQUIRE_MESSAGE(handles, why(handles));
    m = *handles;
    running = true;
  }

  /// Stops the manager and waits until it and every part linked to it are gone.
  void stop() {
    if (!running)
      return;
    running = false;
    caf::scoped_actor self{*sys};
    caf::anon_send_exit(m.front, caf::exit_reason::user_shutdown);
    self->wait_for(m.front, m.registry);
  }

  template <class Result, class Handle, class Request>
  caf::expected<Result> ask(const Handle& h, Request req) {
    caf::expected<Result> out{caf::error{}};
    caf::scoped_actor self{*sys};
    self->request(h, std::chrono::seconds{30}, std::move(req))
        .receive([&](Result& r) { out = std::move(r); },
                 [&](caf::error& err) { out = std::move(err); });
    return out;
  }

  /// Registers an agent and answers the event sink the registry handed back.
  event_sink_actor register_agent(const agent_id& id, agent_actor handle, resource_slots capacity,
                                  const std::string& group = "default") {
    auto reg = ask<agent_registration>(
        m.registry,
        op::register_agent{id, "tcp://127.0.0.1:6001", group, capacity, {}, handle, {}, {}});
    REQUIRE_MESSAGE(reg, why(reg));
    return reg->events;
  }

  /// A fake agent `id` that joins with `capacity` and reports its events (unless dropped).
  fake_agent_log_ptr join(const agent_id& id, resource_slots capacity = {{"cpu", 8}, {"mem", 8e9}},
                          bool drop_events = false, const std::string& group = "default") {
    auto log = std::make_shared<fake_agent_log>();
    log->drop_events = drop_events;
    auto handle = spawn_fake_agent(*sys, id, log);
    agents.push_back(caf::actor_cast<caf::actor>(handle));
    auto sink = register_agent(id, handle, capacity, group);
    log->with([&](fake_agent_log& l) { return l.sink = sink; });
    return log;
  }

  static session_request request(const std::string& owner = "alice", uint32_t size = 1,
                                 cluster_mode mode = cluster_mode::single_node) {
    session_request r;
    r.owner = owner;
    r.access_key = "AK-" + owner;
    r.name = "s";
    r.image = "cr.backend.ai/stable/python:3.9";
    r.mode = mode;
    r.cluster_size = size;
    r.resources = {{"cpu", 1}, {"mem", 1e9}};
    return r;
  }

  session_id create(session_request r) {
    auto id = ask<session_id>(m.front, api::create_session{std::move(r)});
    REQUIRE_MESSAGE(id, why(id));
    return *id;
  }

  caf::expected<session_record> get(const session_id& id, const std::string& owner = "alice") {
    return ask<session_record>(m.front, api::get_session{owner, id});
  }

  std::string status_of(const session_id& id, const std::string& owner = "alice") {
    auto rec = get(id, owner);
    return rec ? to_string(rec->status) : "error: " + message_of(rec.error());
  }

  /// Waits until session `id` is `status`; false (and the last status in the log) otherwise.
  bool reaches(const session_id& id, const std::string& status,
               std::chrono::seconds limit = std::chrono::seconds{30}) {
    bool ok = eventually([&] { return status_of(id) == status; }, limit);
    if (!ok)
      MESSAGE("session " << id << " is " << status_of(id) << ", expected " << status);
    return ok;
  }

  /// The session's stored transitions, read through a second connection to the store (WAL
  /// lets it read a SQLite file beside the manager's writer).
  std::vector<status_change> history(const session_id& id) {
    auto db =
        session_store::open(settings.store_url.empty() ? settings.store_path : settings.store_url);
    REQUIRE_MESSAGE(db, why(db));
    auto out = (*db)->status_history(id);
    REQUIRE_MESSAGE(out, why(out));
    return *out;
  }

  /// Kernel `kernel` of session `id` ends on agent `agent` (fake agent `log`) by itself, and the
  /// agent reports it.
  static void kernel_ends(const fake_agent_log_ptr& log, const agent_id& agent,
                          const session_id& id, const kernel_id& kernel) {
    auto sink = log->with([&](fake_agent_log& l) {
      l.running.erase(kernel);
      return l.sink;
    });
    caf::anon_send(sink,
                   kernel_terminated_event{{kernel, id, agent, "self-terminated"}, caf::none});
  }

  /// The statuses `id` went through, in order. A row that only changes the reason within one
  /// status (PENDING's placement, CREATING's keypair wait) is not another status.
  std::vector<std::string> statuses(const session_id& id) {
    std::vector<std::string> out;
    for (auto& change : history(id))
      if (out.empty() || out.back() != to_string(change.status))
        out.push_back(to_string(change.status));
    return out;
  }
};

/// The manager with its store in a fresh database of the private PostgreSQL server.
struct manager_on_postgres : manager_fixture {
  manager_on_postgres() { settings.store_url = postgres_place::fresh_database(); }
};

} // namespace baikal::test
