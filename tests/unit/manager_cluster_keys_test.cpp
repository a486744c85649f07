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

namespace {

/// The reasons `history` gives while CREATING, in order.
std::vector<std::string> creating_reasons(const std::vector<status_change>& history) {
  std::vector<std::string> out;
  for (auto& change : history)
    if (change.status == session_status::creating)
      out.push_back(change.reason);
  return out;
}

bool waits_for_keypair(const std::string& reason) {
  return reason.rfind("waiting for the session's SSH keypair before creating 1 kernel(s)", 0) == 0;
}

} // namespace

TEST_CASE_FIXTURE(manager_fixture, "cluster keys: a session that waits for its keypair says so "
                                   "while CREATING, then that it creates its kernels") {
  // Keys as slow as RSA's, none made ahead, one worker: every session waits for its own.
  settings.keypairs = [ready = *ssh::generate_ed25519_cluster_keypair()] {
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
    return caf::expected<ssh_keypair>{ready};
  };
  settings.keygen_workers = 1;
  settings.cluster_keys_made_ahead = 0;
  // Waiting for a key is not a reason to ask the agents about the kernels.
  settings.phase_probe_after = std::chrono::seconds{10};
  start();
  join("a1");
  // The first: no pair made yet, so the wait is told without a figure.
  auto first = create(manager_fixture::request());
  REQUIRE(reaches(first, "RUNNING"));
  auto reasons = creating_reasons(history(first));
  REQUIRE(reasons.size() == 3);
  CHECK(reasons[0] == "creating 1 kernel(s)");
  CHECK(reasons[1] == "waiting for the session's SSH keypair before creating 1 kernel(s)");
  CHECK(reasons[2] == "creating 1 kernel(s)");
  // Two more at once: each is told how long a key takes; the second also waits for the first's.
  auto second = create(manager_fixture::request());
  auto third = create(manager_fixture::request());
  REQUIRE(reaches(second, "RUNNING"));
  REQUIRE(reaches(third, "RUNNING"));
  for (auto& id : {second, third}) {
    auto told = creating_reasons(history(id));
    REQUIRE_MESSAGE(told.size() == 3, id);
    CHECK_MESSAGE(waits_for_keypair(told[1]), told[1]);
    CHECK_MESSAGE(told[1].find(" ms a key") != std::string::npos, told[1]);
    CHECK(told[2] == "creating 1 kernel(s)");
    // RUNNING comes last, after the kernels were created.
    CHECK(history(id).back().status == session_status::running);
  }
}

TEST_CASE_FIXTURE(manager_fixture, "cluster keys: a session whose keypair is ready at once "
                                   "does not say it waits") {
  // Ready at once: the workers' stock is full before the session asks (a first session may
  // otherwise wait on a busy machine for the worker's thread to make its first pair).
  auto made = std::make_shared<std::atomic<int>>(0);
  settings.keypairs = [made, ready = *ssh::generate_ed25519_cluster_keypair()] {
    ++*made;
    return caf::expected<ssh_keypair>{ready};
  };
  start();
  join("a1");
  auto stock = settings.keygen_workers * settings.cluster_keys_made_ahead;
  REQUIRE(eventually([&] { return *made >= stock; }));
  auto id = create(manager_fixture::request());
  REQUIRE(reaches(id, "RUNNING"));
  auto reasons = creating_reasons(history(id));
  REQUIRE(reasons.size() == 1);
  CHECK(reasons[0] == "creating 1 kernel(s)");
}
