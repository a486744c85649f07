// The agent refuses commands from a manager it left for another (a leader that lost the lead and
// has not noticed yet); its own process, the manager it follows and a manager it has not met
// (a new leader calling it before it registers there) are taken.

#include <doctest/doctest.h>

#include <caf/node_id.hpp>

#include "actors/agent/followed_manager.hpp"

using namespace baikal;

namespace {

/// A node id other than this process's, as a remote manager's would be.
caf::node_id some_node(uint32_t pid) {
  caf::node_id::default_data::host_id_type host{};
  host[0] = static_cast<uint8_t>(pid);
  return caf::make_node_id(pid, host);
}

} // namespace

TEST_CASE("agent followed manager: a manager the agent left for another is refused, while its own "
          "process, the one it follows and one it has not met are taken") {
  auto self = some_node(1);
  auto a = some_node(2);
  auto b = some_node(3);
  followed_manager followed;
  CHECK(followed.admits(a, self));
  followed.follow(a);
  CHECK(followed.admits(a, self));
  CHECK(followed.admits(self, self));
  // b leads now and calls the agent before it registers there.
  CHECK(followed.admits(b, self));
  followed.follow(b);
  CHECK(followed.admits(b, self));
  CHECK_FALSE(followed.admits(a, self));
  CHECK(followed.admits(self, self));
  // Registering with the same manager again changes nothing; going back to a takes it again.
  followed.follow(b);
  CHECK_FALSE(followed.admits(a, self));
  followed.follow(a);
  CHECK(followed.admits(a, self));
  CHECK_FALSE(followed.admits(b, self));
}
