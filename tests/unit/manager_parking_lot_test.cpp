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
  CHECK(lot.where("s-1") == presence::live);
  CHECK(lot.size() == 0);
  lot.doze("s-1");
  CHECK(lot.where("s-1") == presence::dozing);
  CHECK(lot.where("s-2") == presence::live);
  CHECK(lot.size() == 1);
}

TEST_CASE("parking lot: what comes for a dozing session is held without waking it, and handed "
          "over in order when its actor moves on") {
  parking_lot lot;
  lot.doze("s-1");
  CHECK_FALSE(lot.hold("s-1", caf::make_message(std::string{"first"})));
  CHECK_FALSE(lot.hold("s-1", caf::make_message(std::string{"second"})));
  auto held = lot.wake("s-1");
  CHECK(texts(held) == std::vector<std::string>{"first", "second"});
  CHECK(lot.where("s-1") == presence::live);
  CHECK(lot.wake("s-1").empty());
  CHECK(lot.size() == 0);
}

TEST_CASE("parking lot: a session falls asleep parked, what came while it dozed wakes it at "
          "once") {
  parking_lot lot;
  lot.doze("s-1");
  lot.hold("s-1", caf::make_message(std::string{"terminate"}));
  CHECK(lot.fall_asleep("s-1"));
  CHECK(lot.where("s-1") == presence::parked);
  CHECK(texts(lot.wake("s-1")) == std::vector<std::string>{"terminate"});
  CHECK(lot.where("s-1") == presence::live);
}

TEST_CASE("parking lot: a parked session with nothing held sleeps until a message comes for "
          "it, that message wakes it") {
  parking_lot lot;
  lot.doze("s-1");
  CHECK_FALSE(lot.fall_asleep("s-1"));
  CHECK(lot.where("s-1") == presence::parked);
  CHECK(lot.hold("s-1", caf::make_message(std::string{"kernel ended"})));
  CHECK(lot.where("s-1") == presence::parked); // until the front spawns its actor again
  CHECK(texts(lot.wake("s-1")) == std::vector<std::string>{"kernel ended"});
}

TEST_CASE("parking lot: live sessions are not held for, and a session whose actor crashed is "
          "forgotten with what was held") {
  parking_lot lot;
  CHECK_FALSE(lot.hold("s-1", caf::make_message(std::string{"x"})));
  CHECK_FALSE(lot.fall_asleep("s-1"));
  CHECK(lot.where("s-1") == presence::live);
  lot.doze("s-2");
  lot.hold("s-2", caf::make_message(std::string{"y"}));
  lot.forget("s-2");
  CHECK(lot.where("s-2") == presence::live);
  CHECK(lot.wake("s-2").empty());
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
