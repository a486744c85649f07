// The overlay network plugin on the harness's engine, which test-env.sh makes a single-node
// swarm manager.

#include "integration/docker_fixture.hpp"

#include <algorithm>
#include <thread>

#include "actors/manager/overlay_network_plugin.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/docker/json.hpp"
#include "runtime/docker/networks.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::docker;
using namespace baikal::test;

namespace {

/// Swarm.LocalNodeState and Swarm.ControlAvailable of `GET /info`.
std::pair<std::string, bool> swarm_state(docker_fixture& f) {
  docker_call info;
  info.target = "/info";
  auto doc = json::parse_object(f.ok(info).body, "engine info");
  REQUIRE(doc);
  auto swarm = doc->FindMember("Swarm");
  REQUIRE(swarm != doc->MemberEnd());
  return {json::string_of(swarm->value, "LocalNodeState"),
          json::bool_of(swarm->value, "ControlAvailable")};
}

struct overlay_fixture : docker_fixture {
  network_plugin_actor plugin = spawn_overlay_network_plugin(sys, docker);

  ~overlay_fixture() { caf::anon_send_exit(plugin, caf::exit_reason::user_shutdown); }

  caf::expected<baikal::network_info> create(const std::string& session) {
    caf::expected<baikal::network_info> out{caf::error{}};
    self->request(plugin, std::chrono::seconds{60}, net::create_network{session})
        .receive([&](baikal::network_info& r) { out = std::move(r); },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  caf::error destroy(const std::string& network) {
    caf::error out;
    self->request(plugin, std::chrono::seconds{60}, net::destroy_network{network})
        .receive([](ack) {}, [&](caf::error& e) { out = std::move(e); });
    return out;
  }
};

} // namespace

TEST_CASE_FIXTURE(overlay_fixture, "overlay plugin: create, attach a container, destroy twice") {
  auto [state, manager] = swarm_state(*this);
  REQUIRE_MESSAGE(state == "active",
                  "the test engine is not in a swarm: test-env.sh up makes it one");
  REQUIRE(manager);

  auto session = unique_name("sess");
  auto created = create(session);
  REQUIRE_MESSAGE(created, (created ? "" : why(created)));
  CHECK(created->network_id == "bai-multinode-" + session);

  // The swarm allocates a new network just after answering its creation: until then,
  // inspect shows it without a driver.
  auto net = parse_network_info(ok(network_inspect(created->network_id)).body);
  for (int i = 0; i < 300 && net && net->driver.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    net = parse_network_info(ok(network_inspect(created->network_id)).body);
  }
  REQUIRE(net);
  CHECK(net->name == created->network_id);
  CHECK(net->driver == "overlay");
  CHECK(net->attachable);
  CHECK(net->labels == std::map<std::string, std::string>{{"ai.backend.cluster-network", "1"}});

  // A container attaches to it by the id the plugin answered, as the agents' kernels do.
  container_spec spec;
  spec.name = unique_name("baikal-overlay-user");
  spec.image = image;
  spec.cmd = {"sleep", "3600"};
  spec.init = true;
  spec.network_mode = created->network_id;
  auto cid = parse_id(ok(container_create(spec)).body);
  REQUIRE(cid);
  ok(container_start(*cid));
  auto ct = parse_container_info(ok(container_inspect(*cid)).body);
  REQUIRE(ct);
  CHECK(ct->running);
  CHECK(ct->networks == std::vector<std::string>{created->network_id});
  auto attached = parse_network_info(ok(network_inspect(created->network_id)).body);
  REQUIRE(attached);
  // Beside the container, a swarm network lists its load balancer's endpoint ("lb-...").
  CHECK(std::count(attached->containers.begin(), attached->containers.end(), *cid) == 1);

  // While the container runs, Docker refuses and the plugin says so.
  auto busy = destroy(created->network_id);
  REQUIRE(busy);
  // Swarm's own text: "network ... is in use by task ...".
  CHECK(message_of(busy).find("is in use") != std::string::npos);

  ok(container_remove(*cid, true, true));
  CHECK_FALSE(destroy(created->network_id));
  // The swarm removes the network from its store at once and this node's copy of it just
  // after, so inspect may still find it for a moment.
  auto gone = call(network_inspect(created->network_id));
  for (int i = 0; i < 300 && gone; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    gone = call(network_inspect(created->network_id));
  }
  REQUIRE_FALSE(gone);
  CHECK(code_of(gone.error()) == errc::not_found);

  // Destroying a network that is already gone is done, not an error.
  CHECK_FALSE(destroy(created->network_id));
}

TEST_CASE_FIXTURE(overlay_fixture, "overlay plugin: a re-sent create answers the same network") {
  auto session = unique_name("sess");
  auto first = create(session);
  REQUIRE_MESSAGE(first, (first ? "" : why(first)));
  auto second = create(session);
  REQUIRE_MESSAGE(second, (second ? "" : why(second)));
  CHECK(second->network_id == first->network_id);
  auto listed = parse_network_list(ok(network_list({{"name", {first->network_id}}})).body);
  REQUIRE(listed);
  CHECK(listed->size() == 1);
  CHECK_FALSE(destroy(first->network_id));
}

TEST_CASE_FIXTURE(overlay_fixture, "overlay plugin: a bridge of the same name is not taken over") {
  auto session = unique_name("sess");
  network_spec other;
  other.name = overlay_network_name(session);
  ok(network_create(other));
  auto created = create(session);
  REQUIRE_FALSE(created);
  CHECK(code_of(created.error()) == errc::conflict);
  CHECK(message_of(created.error()) == "cannot create overlay network " + other.name +
                                           ": network with name " + other.name + " already exists");
  ok(network_delete(other.name));
}
