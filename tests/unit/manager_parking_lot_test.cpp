// The manager front's parking lot without an actor: which sessions are dozing or parked, what is
// held for them in the order it came, when a message wakes a session, and what a woken session's
// actor starts from.

#include <doctest/doctest.h>

#include <string>

#include <caf/make_message.hpp>
#include <caf/message.hpp>

#include "actors/manager/parking_lot.hpp"

using namespace baikal;

namespace {

using presence = parking_lot::presence;

/// The strings held in `held`, in order.
std::vector<std::string> texts(const std::vector<caf::message>& held) {
  std::vector<std::string> out;
  for (auto& m : held)
    out.push_back(m.get_as<std::string>(0));
  return out;
}

} // namespace

TEST_CASE("parking lot: sessions are live until their actor asks to park") {
  parking_lot lot;
  session_entry e;
  CHECK(e.presence == presence::live);
  lot.doze(e);
  CHECK(e.presence == presence::dozing);
  CHECK(lot.holding() == 0);
}

TEST_CASE("parking lot: what comes for a dozing session is held without waking it, and handed "
          "over in order when its actor moves on") {
  parking_lot lot;
  session_entry e;
  lot.doze(e);
  CHECK_FALSE(lot.hold("s-1", e, caf::make_message(std::string{"first"})));
  CHECK_FALSE(lot.hold("s-1", e, caf::make_message(std::string{"second"})));
  CHECK(lot.holding() == 1);
  auto held = lot.wake("s-1", e);
  CHECK(texts(held) == std::vector<std::string>{"first", "second"});
  CHECK(e.presence == presence::live);
  CHECK(lot.wake("s-1", e).empty());
  CHECK(lot.holding() == 0);
}

TEST_CASE("parking lot: a session falls asleep parked, what came while it dozed wakes it at "
          "once") {
  parking_lot lot;
  session_entry e;
  lot.doze(e);
  lot.hold("s-1", e, caf::make_message(std::string{"terminate"}));
  CHECK(lot.fall_asleep("s-1", e));
  CHECK(e.presence == presence::parked);
  CHECK(texts(lot.wake("s-1", e)) == std::vector<std::string>{"terminate"});
  CHECK(e.presence == presence::live);
}

TEST_CASE("parking lot: a parked session with nothing held sleeps until a message comes for "
          "it, that message wakes it once while its spec is read back") {
  parking_lot lot;
  session_entry e;
  lot.doze(e);
  CHECK_FALSE(lot.fall_asleep("s-1", e));
  CHECK(e.presence == presence::parked);
  CHECK(lot.holding() == 0); // a parked session costs the lot nothing
  CHECK(lot.hold("s-1", e, caf::make_message(std::string{"kernel ended"})));
  CHECK(e.presence == presence::parked); // until the front wakes it
  lot.waking(e);
  // Held while the store answers, and no second wake.
  CHECK_FALSE(lot.hold("s-1", e, caf::make_message(std::string{"terminate"})));
  CHECK(texts(lot.wake("s-1", e)) == std::vector<std::string>{"kernel ended", "terminate"});
  CHECK(e.presence == presence::live);
}

TEST_CASE("parking lot: a session that could not be woken is parked again with what was held, "
          "and those waiting for it are told once") {
  parking_lot lot;
  session_entry e;
  lot.doze(e);
  lot.fall_asleep("s-1", e);
  CHECK(lot.hold("s-1", e, caf::make_message(std::string{"terminate"})));
  lot.waking(e);
  int told = 0;
  lot.after_wake("s-1", [&](session_entry* woke) { told += woke ? 10 : 1; });
  lot.not_woken(e);
  for (auto& f : lot.waiters("s-1"))
    f(nullptr);
  CHECK(told == 1);
  CHECK(lot.waiters("s-1").empty());
  CHECK(e.presence == presence::parked);
  // The next message wakes it again, and what was held is still there.
  CHECK(lot.hold("s-1", e, caf::make_message(std::string{"restart"})));
  CHECK(texts(lot.wake("s-1", e)) == std::vector<std::string>{"terminate", "restart"});
}

TEST_CASE("parking lot: live sessions are not held for, and a session whose actor crashed is "
          "forgotten with what was held") {
  parking_lot lot;
  session_entry live;
  CHECK_FALSE(lot.hold("s-1", live, caf::make_message(std::string{"x"})));
  CHECK_FALSE(lot.fall_asleep("s-1", live));
  CHECK(live.presence == presence::live);
  session_entry e;
  lot.doze(e);
  lot.hold("s-2", e, caf::make_message(std::string{"y"}));
  lot.forget("s-2", e);
  CHECK(e.presence == presence::live);
  CHECK(lot.wake("s-2", e).empty());
  CHECK(lot.holding() == 0);
}

TEST_CASE("parking lot: a woken session's actor starts RUNNING with every kernel started") {
  scheduled_session spec;
  spec.id = "s-1";
  spec.kernels.resize(2);
  spec.kernels[0].id = "k-1";
  spec.kernels[1].id = "k-2";
  auto rec = woken_record(spec, session_status::running);
  CHECK(rec.status == session_status::running);
  REQUIRE(rec.kernels.size() == 2);
  CHECK(rec.kernels[0].id == "k-1");
  CHECK(rec.kernels[1].id == "k-2");
  CHECK(rec.kernels[0].status == kernel_status::running);
  CHECK(rec.kernels[1].status == kernel_status::running);
}
