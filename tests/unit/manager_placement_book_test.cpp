// The manager front's placement book without an actor: PENDING sessions placed in arrival order
// on a slot view, at most `max_starting` of them starting at once, reasons told only when they
// change, slots held while bound and freed when a session ends, sessions placed again first and
// away from the agents that failed them, and the kernels each agent should run.

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "actors/manager/placement_book.hpp"
#include "actors/manager/session_table.hpp"
#include "support/status_names.hpp"

using namespace baikal;

namespace {

scheduled_session spec_of(const session_id& id, double cpu, uint32_t size = 1) {
  scheduled_session s;
  s.id = id;
  s.user_uuid = "u-1";
  s.scaling_group = "default";
  s.cluster_size = size;
  for (uint32_t i = 0; i < size; ++i) {
    kernel_binding k;
    k.id = id + "-k" + std::to_string(i);
    k.role = i == 0 ? cluster_role::main : cluster_role::sub;
    k.slots = {{"cpu", cpu}, {"mem", 1e9}};
    s.kernels.push_back(std::move(k));
  }
  return s;
}

/// A book over agents of 4 cpu each, its sessions in a table, and what its passes told them.
struct book_fixture {
  explicit book_fixture(size_t max_starting = 10, std::vector<agent_id> agents = {"a1", "a2"})
      : book(sched::policy::concentrated, max_starting) {
    for (auto& a : agents)
      book.slots().set_agent(a, "tcp://" + a, "default", true, {{"cpu", 4}, {"mem", 16e9}});
    hooks.waiting = [this](const session_id& id) -> session_entry* {
      auto* e = table.find(id);
      return e && e->status == session_status::pending ? e : nullptr;
    };
    hooks.suspects = [this] { return suspects; };
    hooks.explain = [](const std::string& reason) { return "no room: " + reason; };
    hooks.bound = [this](session_entry& e, const sched::placement& p) {
      bound.emplace_back(e.spec->id, p.agents);
    };
    hooks.still_pending = [this](session_entry& e, const std::string& reason) {
      told.emplace_back(e.spec->id, reason);
    };
  }

  session_entry& add(const session_id& id, double cpu, uint32_t size = 1,
                     std::string status = "PENDING") {
    session_record rec;
    rec.spec = spec_of(id, cpu, size);
    rec.status = test::session_status_named(status);
    auto& e = table.add(rec);
    book.add(id, e);
    return e;
  }

  /// Moves `id` to `status` as the front does when its session says so.
  bool move(const session_id& id, const std::string& status) {
    auto* e = table.find(id);
    e->status = test::session_status_named(status);
    return book.moved(*e);
  }

  placement_book book;
  session_table table;
  placement_book::pass_hooks hooks;
  std::vector<agent_id> suspects;
  std::vector<std::pair<session_id, std::vector<agent_id>>> bound;
  std::vector<std::pair<session_id, std::string>> told;
};

} // namespace

TEST_CASE("placement book: PENDING sessions are placed in arrival order, their kernels bound "
          "to agents and their slots held") {
  book_fixture f;
  auto& s1 = f.add("s-1", 3);
  auto& s2 = f.add("s-2", 3);
  CHECK(f.book.has_pending());
  f.book.pass(f.hooks);
  REQUIRE(f.bound.size() == 2);
  CHECK(f.bound[0].first == "s-1");
  CHECK(f.bound[1].first == "s-2");
  CHECK(f.bound[0].second != f.bound[1].second); // 3 of 4 cpu: one session per agent
  CHECK(s1.spec->kernels[0].agent == f.bound[0].second[0]);
  CHECK(s1.holds_slots);
  CHECK(s2.starting);
  CHECK(f.book.starting() == 2);
  CHECK(f.book.slots().used(s1.spec->kernels[0].agent).at("cpu") == 3);
  CHECK_FALSE(f.book.has_pending());
}

TEST_CASE("placement book: a session that does not fit stays PENDING in its place, told its "
          "reason once, the freed slots of an ended session let it in") {
  book_fixture f{10, {"a1"}};
  f.add("s-1", 3);
  f.add("s-2", 2);
  f.add("s-3", 2);
  f.book.pass(f.hooks);
  REQUIRE(f.bound.size() == 1);
  // Both are told, the second without a search of its own: the same demand, the same reason.
  REQUIRE(f.told.size() == 2);
  CHECK(f.told[0].first == "s-2");
  CHECK(f.told[1].first == "s-3");
  CHECK(f.told[0].second.rfind("no room: ", 0) == 0);
  CHECK(f.told[0].second == f.told[1].second);
  f.book.pass(f.hooks);
  CHECK(f.told.size() == 2); // the reason did not change
  CHECK(f.move("s-1", "TERMINATED"));
  CHECK_FALSE(f.table.find("s-1")->holds_slots);
  f.book.pass(f.hooks);
  REQUIRE(f.bound.size() == 3);
  CHECK(f.bound[1].first == "s-2");
  CHECK(f.bound[2].first == "s-3");
}

TEST_CASE("placement book: at most max_starting sessions start at once, one reaching RUNNING "
          "lets the next in") {
  book_fixture f{2};
  for (auto id : {"s-1", "s-2", "s-3"})
    f.add(id, 1);
  f.book.pass(f.hooks);
  CHECK(f.bound.size() == 2);
  CHECK(f.told.empty()); // the third was not looked at
  CHECK(f.move("s-2", "PREPARING") == false);
  CHECK(f.move("s-2", "RUNNING"));
  CHECK(f.book.starting() == 1);
  CHECK_FALSE(f.table.find("s-2")->starting);
  CHECK(f.table.find("s-2")->holds_slots); // RUNNING keeps its slots
  f.book.pass(f.hooks);
  REQUIRE(f.bound.size() == 3);
  CHECK(f.bound[2].first == "s-3");
  // Nothing waits any more: a start ending is no reason for a pass.
  CHECK_FALSE(f.move("s-3", "RUNNING"));
}

TEST_CASE("placement book: a session that ended while PENDING is skipped by the next pass") {
  book_fixture f;
  f.add("s-1", 1);
  f.add("s-2", 1);
  f.move("s-1", "TERMINATED");
  f.book.pass(f.hooks);
  REQUIRE(f.bound.size() == 1);
  CHECK(f.bound[0].first == "s-2");
  CHECK_FALSE(f.book.has_pending());
}

TEST_CASE("placement book: a session placed again gives back its slots, goes first and avoids "
          "the agents that failed it while another has room") {
  book_fixture f;
  auto& s1 = f.add("s-1", 1);
  f.book.pass(f.hooks);
  REQUIRE(f.bound.size() == 1);
  auto failed = f.bound[0].second[0];
  f.add("s-2", 1);
  s1.status =
      session_status::pending; // the session tells the front before it asks to be placed again
  f.book.place_again("s-1", s1, {failed});
  CHECK_FALSE(s1.holds_slots);
  CHECK_FALSE(s1.starting);
  CHECK(f.book.starting() == 0);
  CHECK(f.book.slots().used(failed).at("cpu") == 0);
  f.book.pass(f.hooks);
  REQUIRE(f.bound.size() == 3);
  CHECK(f.bound[1].first == "s-1");
  CHECK(f.bound[1].second[0] != failed);
  // s-2 is not placed again: the concentrated policy fills the fuller agent first.
  CHECK(f.bound[2].second[0] == f.bound[1].second[0]);
}

TEST_CASE("placement book: a session placed again goes where its kind would when every other "
          "agent is full or suspect") {
  book_fixture f;
  auto& s1 = f.add("s-1", 1);
  f.book.pass(f.hooks);
  auto failed = f.bound[0].second[0];
  f.suspects = {failed == "a1" ? "a2" : "a1"};
  s1.status = session_status::pending;
  f.book.place_again("s-1", s1, {failed});
  f.book.pass(f.hooks);
  REQUIRE(f.bound.size() == 2);
  CHECK(f.bound[1].second[0] == failed); // both avoided: where the policy puts it
}

TEST_CASE("placement book: a recovered bound session holds its slots, and an agent runs the "
          "kernels of the sessions from PREPARED until they end") {
  book_fixture f;
  session_record rec;
  rec.spec = spec_of("s-1", 2, 2);
  rec.spec.kernels[0].agent = "a1";
  rec.spec.kernels[1].agent = "a2";
  rec.status = session_status::preparing;
  auto& e = f.table.add(rec);
  f.book.add("s-1", e);
  CHECK(e.holds_slots);
  CHECK_FALSE(f.book.has_pending());
  CHECK(f.book.slots().used("a1").at("cpu") == 2);
  CHECK(f.book.kernels_on("a1").empty()); // PREPARING: nothing created yet
  for (auto status : {"PREPARED", "CREATING", "RUNNING", "TERMINATING"}) {
    f.move("s-1", status);
    auto on_a2 = f.book.kernels_on("a2");
    REQUIRE(on_a2.size() == 1);
    CHECK(on_a2[0].kernel == "s-1-k1");
    CHECK(on_a2[0].session == "s-1");
  }
  CHECK(f.book.kernels_on("a3").empty());
  f.move("s-1", "ERROR");
  CHECK(f.book.kernels_on("a2").empty());
  CHECK(f.book.slots().used("a1").at("cpu") == 0);
}

TEST_CASE("placement book: may_run_kernels is true from PREPARED until the session ends") {
  CHECK_FALSE(may_run_kernels(session_status::pending));
  CHECK_FALSE(may_run_kernels(session_status::pulling));
  CHECK(may_run_kernels(session_status::prepared));
  CHECK(may_run_kernels(session_status::terminating));
  CHECK_FALSE(may_run_kernels(session_status::terminated));
  CHECK_FALSE(may_run_kernels(session_status::error));
}
