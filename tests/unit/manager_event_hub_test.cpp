// The event hub's routing of image pull events: each goes to the sessions waiting for that image
// on that agent, and a finished or failed pull ends their wait there, so that the pulls other
// sessions start for the same image later do not reach them.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/manager/event_hub.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

/// What a stand-in session saw: which session it is and the pull event's phase.
struct seen {
  std::string session;
  image_pull_event::phase what;
};

struct hub_fixture {
  hub_fixture()
      : sys{(cfg.set("scheduler.max-threads", 2), cfg)}, self{sys},
        hub{spawn_event_hub(sys, std::make_shared<event_counters>(), 100, 1)} {}

  /// A session actor that tells the test of every pull event it gets.
  session_actor session(const std::string& name) {
    auto test = caf::actor_cast<caf::actor>(self);
    auto a = sys.spawn([test, name](caf::event_based_actor*) -> caf::behavior {
      return {[test, name](const image_pull_event& e) {
        caf::anon_send(test, name, static_cast<uint8_t>(e.what));
      }};
    });
    return caf::actor_cast<session_actor>(a);
  }

  void attach(const std::string& id, const session_actor& s, std::vector<std::string> pulls) {
    self->send(hub, hub::attach_session{id, s, std::move(pulls)});
  }

  void pull(image_pull_event::phase what, const std::string& agent, const std::string& image) {
    self->send(hub, image_pull_event{what, agent, image, "job", "", 0, 0, 0});
  }

  /// Every pull event the stand-in sessions get until none comes for a while, sorted.
  std::vector<std::string> received() {
    std::vector<std::string> out;
    bool more = true;
    while (more)
      self->receive(
          [&](const std::string& name, uint8_t what) {
            out.push_back(name + ":" + to_string(static_cast<image_pull_event::phase>(what)));
          },
          caf::after(200ms) >> [&] { more = false; });
    std::sort(out.begin(), out.end());
    return out;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scoped_actor self;
  event_hub_actor hub;
};

using phase = image_pull_event::phase;

} // namespace

TEST_CASE_FIXTURE(hub_fixture, "event hub: a pull event reaches the sessions waiting for that "
                               "image on that agent, and its end ends their wait there") {
  auto s1 = session("s1");
  auto s2 = session("s2");
  auto s3 = session("s3");
  attach("s1", s1, {pull_key("a1", "img")});
  attach("s2", s2, {pull_key("a1", "img"), pull_key("a2", "img")});
  attach("s3", s3, {pull_key("a2", "img")});

  pull(phase::started, "a1", "img");
  CHECK(received() == std::vector<std::string>{"s1:" + to_string(phase::started),
                                               "s2:" + to_string(phase::started)});
  pull(phase::finished, "a1", "img");
  CHECK(received() == std::vector<std::string>{"s1:" + to_string(phase::finished),
                                               "s2:" + to_string(phase::finished)});
  // Another session's check of the same image on a1 reaches nobody that waited for it.
  pull(phase::started, "a1", "img");
  pull(phase::finished, "a1", "img");
  CHECK(received().empty());
  // s2 still waits for the image on a2, with s3.
  pull(phase::failed, "a2", "img");
  CHECK(received() == std::vector<std::string>{"s2:" + to_string(phase::failed),
                                               "s3:" + to_string(phase::failed)});
  pull(phase::finished, "a2", "img");
  CHECK(received().empty());
  // A session attached afterwards waits again and is reached.
  auto s4 = session("s4");
  attach("s4", s4, {pull_key("a1", "img")});
  pull(phase::progress, "a1", "img");
  pull(phase::finished, "a1", "img");
  CHECK(received() == std::vector<std::string>{"s4:" + to_string(phase::finished),
                                               "s4:" + to_string(phase::progress)});
}
