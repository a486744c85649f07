// The cluster keypairs a whole manager makes when nothing hands it one: of the type
// manager.cluster-key-type names, a pair of its own for each session.

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <set>
#include <thread>

#include "runtime/ssh/keypair.hpp"
#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

/// The cluster public keys the sessions' kernels were created with on agent `log`.
std::map<session_id, std::string> keys_of(const fake_agent_log_ptr& log) {
  return log->with([](fake_agent_log& l) { return l.cluster_public_keys; });
}

void launch_two_with(manager_fixture& f, ssh::cluster_key_type type, const std::string& prefix) {
  f.settings.keypairs = {}; // the keygen workers make them, as in service
  f.settings.cluster_key_type = type;
  f.start();
  auto a1 = f.join("a1");
  a1->with([](fake_agent_log& l) { return l.record_cluster_keys = true; });
  auto s1 = f.create(manager_fixture::request());
  auto s2 = f.create(manager_fixture::request());
  REQUIRE(f.reaches(s1, "RUNNING"));
  REQUIRE(f.reaches(s2, "RUNNING"));
  auto keys = keys_of(a1);
  REQUIRE(keys.size() == 2);
  // Not a structured binding: CHECK_MESSAGE's lambda cannot capture one in C++17 (clang).
  for (auto& entry : keys) {
    auto& key = entry.second;
    CHECK_MESSAGE(key.rfind(prefix, 0) == 0, entry.first << ": " << key);
    CHECK(key.find(" work@cluster.backend.ai.local") != std::string::npos);
  }
  CHECK(keys.at(s1) != keys.at(s2));
}

} // namespace

TEST_CASE_FIXTURE(manager_fixture, "cluster keys: a manager set to ed25519 gives each session an "
                                   "Ed25519 keypair of its own") {
  launch_two_with(*this, ssh::cluster_key_type::ed25519, "ssh-ed25519 ");
}

TEST_CASE_FIXTURE(manager_fixture, "cluster keys: by default each session gets an RSA keypair of "
                                   "its own, as the reference makes them") {
  launch_two_with(*this, ssh::cluster_key_type::rsa, "ssh-rsa ");
}

TEST_CASE_FIXTURE(manager_fixture, "cluster keys: each keygen worker makes "
                                   "cluster-keys-made-ahead pairs before any session asks") {
  auto made = std::make_shared<std::atomic<int>>(0);
  settings.keypairs = [made, ready = *ssh::generate_ed25519_cluster_keypair()] {
    ++*made;
    return caf::expected<ssh_keypair>{ready};
  };
  settings.keygen_workers = 3;
  settings.cluster_keys_made_ahead = 5;
  start();
  CHECK(eventually([&] { return made->load() == 15; }));
  // And no more: a worker's stock is full.
  std::this_thread::sleep_for(std::chrono::milliseconds{200});
  CHECK(made->load() == 15);
}
