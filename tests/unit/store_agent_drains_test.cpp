// The store keeps which agents an operator drained, apart from the agents' own records: a
// reopened store (a restarted manager) finds them, an agent's registration does not clear
// them, and an undrain removes them.

#include <doctest/doctest.h>

#include "runtime/store/session_store.hpp"
#include "support/store_places.hpp"
#include "support/why.hpp"

using namespace baikal;

BAIKAL_STORE_TEST(agent_drains_kept,
                  "agent drains survive a reopened store and the agent's registration, and an "
                  "undrain removes them") {
  Place place;
  auto path = place.location;
  {
    auto db = session_store::open(path);
    REQUIRE_MESSAGE(db, baikal::test::why(db));
    CHECK((*db)->list_drained_agents()->empty());
    CHECK_FALSE((*db)->set_agent_drained("a2", true, "ops"));
    CHECK_FALSE((*db)->set_agent_drained("a1", true, "ops"));
    CHECK_FALSE((*db)->set_agent_drained("a1", true, "ops")); // twice is once
    agent_record a1;
    a1.id = "a1";
    a1.status = agent_status::alive;
    CHECK_FALSE((*db)->upsert_agent(a1));
  }
  auto db = session_store::open(path);
  REQUIRE_MESSAGE(db, baikal::test::why(db));
  CHECK(*(*db)->list_drained_agents() == std::vector<agent_id>{"a1", "a2"});
  CHECK_FALSE((*db)->set_agent_drained("a1", false, "ops"));
  CHECK_FALSE((*db)->set_agent_drained("a3", false, "ops")); // never drained: nothing to do
  CHECK(*(*db)->list_drained_agents() == std::vector<agent_id>{"a2"});
}
