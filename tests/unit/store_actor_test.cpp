// The detached store actor answers the repository interface the launcher uses, and what it
// wrote is there after the actor and the file are reopened.

#include <doctest/doctest.h>

#include <filesystem>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/manager/store_actor.hpp"
#include "messages/errors.hpp"
#include "runtime/store/session_store.hpp"
#include "support/store_places.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

template <class Handle, class Request, class Result>
void ask(caf::scoped_actor& self, const Handle& h, Request req, Result& out) {
  self->request(h, 5s, std::move(req))
      .receive([&](Result& r) { out = std::move(r); },
               [&](caf::error& err) { FAIL(message_of(err)); });
}

} // namespace

BAIKAL_STORE_TEST(store_actor_survives_restart,
                  "the store actor answers the launcher's repository and survives a restart") {
  Place place;
  auto file = place.location;
  scheduled_session s;
  s.id = "s1";
  s.name = "one";
  s.kernels = {{"k1",
                "a1",
                "tcp://a1:6001",
                "img",
                "x86_64",
                cluster_role::main,
                1,
                0,
                "main1",
                {},
                1000,
                1000}};
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  caf::actor_system sys{cfg};
  {
    auto store = spawn_store(sys, file);
    REQUIRE(store);
    session_repository_actor repository = *store; // the narrower face the launcher holds
    caf::scoped_actor self{sys};
    ack done;
    repo::inserted_sessions inserted;
    ask(self, *store,
        repo::insert_sessions{
            {std::make_shared<const scheduled_session>(s)}, session_status::scheduled, "scheduled"},
        inserted);
    REQUIRE(inserted.errors.size() == 1);
    CHECK_FALSE(inserted.errors[0]);
    ask(self, repository, repo::update_session_network_id{"s1", "bai-singlenode-s1"}, done);
    ask(self, repository, repo::update_session_error_info{"s1", R"({"error":{}})"}, done);
    ask(self, *store, repo::set_session_status{"s1", session_status::preparing, "images pulled"},
        done);
    self->request(repository, 5s, repo::update_session_network_id{"nope", "x"})
        .receive([](ack) { FAIL("an unknown session was updated"); },
                 [](caf::error& err) { CHECK(code_of(err) == errc::not_found); });
    caf::anon_send_exit(*store, caf::exit_reason::user_shutdown);
    self->wait_for(*store); // the file is closed before the "restart"
  }
  {
    auto store = spawn_store(sys, file);
    REQUIRE(store);
    caf::scoped_actor self{sys};
    session_record rec;
    ask(self, *store, repo::get_session{"s1"}, rec);
    CHECK(rec.status == session_status::preparing);
    CHECK(rec.network_id == "bai-singlenode-s1");
    CHECK(rec.status_data == R"({"error":{}})");
    CHECK(rec.spec.kernels.at(0).cluster_hostname == "main1");
    std::vector<status_change> history;
    ask(self, *store, repo::get_status_history{"s1"}, history);
    CHECK(history.size() == 2);
    caf::anon_send_exit(*store, caf::exit_reason::user_shutdown);
    self->wait_for(*store);
  }
}

BAIKAL_STORE_TEST(store_actor_move_with_kernels,
                  "a session's move carries its kernels' statuses, each written even when "
                  "another fails") {
  Place place;
  scheduled_session s;
  s.id = "s1";
  s.name = "two";
  kernel_binding main{"k1", "a1", "tcp://a1:6001", "img", "x86_64", cluster_role::main,
                      1,    0,    "main1",         {},    1000,     1000};
  auto sub = main;
  sub.id = "k2";
  sub.role = cluster_role::sub;
  sub.cluster_hostname = "sub1";
  s.kernels = {main, sub};
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  caf::actor_system sys{cfg};
  {
    auto store = spawn_store(sys, place.location);
    REQUIRE(store);
    caf::scoped_actor self{sys};
    repo::inserted_sessions inserted;
    ask(self, *store,
        repo::insert_sessions{
            {std::make_shared<const scheduled_session>(s)}, session_status::creating, "creating"},
        inserted);
    REQUIRE(inserted.errors.size() == 1);
    REQUIRE_FALSE(inserted.errors[0]);
    repo::move_session step{"s1",
                            {{session_status::running, "every kernel started", 1}},
                            nullptr,
                            {{"k1", kernel_status::running, "c1"},
                             {"nope", kernel_status::running, "c9"},
                             {"k2", kernel_status::running, "c2"}}};
    self->request(*store, 5s, std::move(step))
        .receive([](ack) { FAIL("a kernel that is not in the store was written"); },
                 [](caf::error& err) { CHECK(code_of(err) == errc::not_found); });
    caf::anon_send_exit(*store, caf::exit_reason::user_shutdown);
    self->wait_for(*store);
  }
  auto db = session_store::open(place.location);
  REQUIRE(db);
  auto rec = (*db)->get_session("s1");
  REQUIRE(rec);
  CHECK(rec->status == session_status::running);
  REQUIRE(rec->kernels.size() == 2);
  for (auto& k : rec->kernels) {
    CHECK(k.status == kernel_status::running);
    CHECK(k.container_id == (k.id == "k1" ? "c1" : "c2"));
  }
}
