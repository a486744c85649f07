// The manager front's session table without an actor: what it keeps of live and ended sessions,
// who may see each, and which wait to be placed.

#include <doctest/doctest.h>

#include "actors/manager/session_table.hpp"
#include "messages/errors.hpp"

using namespace baikal;

namespace {

session_record record_of(const session_id& id, const user_id& owner, session_status status) {
  session_record rec;
  rec.spec.id = id;
  rec.spec.user_uuid = owner;
  rec.spec.kernels.resize(1);
  rec.status = status;
  return rec;
}

} // namespace

TEST_CASE("session table: a live session keeps its spec and is visible to its owner only, like "
          "an unknown one to anybody else") {
  session_table table;
  auto rec = record_of("s-1", "alice", session_status::pending);
  auto& e = table.add(rec);
  REQUIRE(e.spec);
  CHECK(e.spec->id == "s-1");
  CHECK(e.status == session_status::pending);
  CHECK(owner_of(e) == "alice");
  CHECK(table.find("s-1") == &e);
  CHECK(table.owned("alice", "s-1") == &e);
  CHECK(table.owned("bob", "s-1") == nullptr);
  CHECK(table.owned("alice", "s-2") == nullptr);
  CHECK(table.find("s-2") == nullptr);
}

TEST_CASE("session table: an ended session keeps only its owner and status") {
  session_table table;
  auto rec = record_of("s-1", "alice", session_status::terminated);
  auto& e = table.add(rec);
  CHECK_FALSE(e.spec);
  CHECK(e.status == session_status::terminated);
  CHECK(owner_of(e) == "alice");
  CHECK(table.owned("alice", "s-1") == &e);

  auto live = record_of("s-2", "bob", session_status::running);
  auto& l = table.add(live);
  l.pending_reason = "old";
  forget_ended(l);
  CHECK_FALSE(l.spec);
  CHECK_FALSE(l.actor);
  CHECK(l.pending_reason.empty());
  CHECK(table.owned("bob", "s-2") == &l);
}

TEST_CASE("session table: only a PENDING session with its actor waits to be placed") {
  session_table table;
  auto rec = record_of("s-1", "alice", session_status::pending);
  table.add(rec);
  CHECK(table.waiting("s-1") == nullptr); // its actor is gone (or never came)
  CHECK(table.waiting("s-2") == nullptr);
  caf::actor_addr nobody;
  CHECK(table.run_by(nobody) == nullptr);
}

TEST_CASE("session table: a session a user may not see is not_found, naming it") {
  auto err = no_session("s-9");
  CHECK(code_of(err) == errc::not_found);
  CHECK(caf::to_string(err).find("s-9") != std::string::npos);
}

TEST_CASE("session table: a parked session keeps its owner, kernels, mounts and idle_timeout "
          "without its spec, and has them back from the spec it wakes with") {
  session_table table;
  auto rec = record_of("s-1", "alice", session_status::running);
  rec.spec.idle_timeout = 600;
  rec.spec.mounts.push_back(mount_spec{"/s/alice/data", "/home/work/data", "rw"});
  rec.spec.kernels.resize(2);
  rec.spec.kernels[0].id = "k-sub";
  rec.spec.kernels[0].agent = "a2";
  rec.spec.kernels[0].role = cluster_role::sub;
  rec.spec.kernels[1].id = "k-main";
  rec.spec.kernels[1].agent = "a1";
  rec.spec.kernels[1].role = cluster_role::main;
  auto& e = table.add(rec);
  CHECK(id_of(e) == "s-1");
  auto spec = e.spec;

  park(e);
  CHECK_FALSE(e.spec);
  REQUIRE(e.parked);
  CHECK(id_of(e) == "s-1");
  CHECK(owner_of(e) == "alice");
  CHECK(table.owned("alice", "s-1") == &e);
  CHECK(idle_timeout_of(e) == 600);
  REQUIRE(mounts_of(e).size() == 1);
  CHECK(mounts_of(e)[0].source == "/s/alice/data");
  auto kernels = kernels_of(e);
  REQUIRE(kernels.size() == 2);
  CHECK(kernels[0].id == "k-sub");
  CHECK(kernels[0].agent == "a2");
  CHECK_FALSE(kernels[0].main);
  auto main = main_kernel_of(e);
  REQUIRE(main);
  CHECK(main->id == "k-main");
  CHECK(main->agent == "a1");

  unpark(e, spec);
  CHECK(e.spec == spec);
  CHECK_FALSE(e.parked);
  CHECK(owner_of(e) == "alice");
  CHECK(main_kernel_of(e)->id == "k-main");
  CHECK(idle_timeout_of(e) == 600);

  // Ended, it has no kernels, mounts or idle clock any more.
  park(e);
  forget_ended(e);
  CHECK_FALSE(e.parked);
  CHECK(owner_of(e) == "alice");
  CHECK(kernels_of(e).empty());
  CHECK_FALSE(main_kernel_of(e));
  CHECK(mounts_of(e).empty());
  CHECK(idle_timeout_of(e) == 0);
}

TEST_CASE("session table: a session without a main kernel has no route to one") {
  session_table table;
  auto rec = record_of("s-1", "alice", session_status::running);
  rec.spec.kernels[0].role = cluster_role::sub;
  auto& e = table.add(rec);
  CHECK_FALSE(main_kernel_of(e));
  park(e);
  CHECK_FALSE(main_kernel_of(e));
}
