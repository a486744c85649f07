// The cluster keypairs a whole manager makes when nothing hands it one: of the type
// manager.cluster-key-type names, a pair of its own for each session.

#include <doctest/doctest.h>

#include <set>

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
  for (auto& [session, key] : keys) {
    CHECK_MESSAGE(key.rfind(prefix, 0) == 0, session << ": " << key);
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
