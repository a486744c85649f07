// The keygen worker hands each session a pair of its own: made ahead when it can, made on
// demand when its stock is empty, never the same pair twice, and a failing source is the
// asker's error.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/manager/ssh_keygen.hpp"
#include "messages/announce.hpp"
#include "messages/errors.hpp"
#include "tests/support/eventually.hpp"

using namespace baikal;
using baikal::test::eventually;
using namespace std::chrono_literals;

namespace {

struct keygen_fixture {
  keygen_fixture() {
    announce_message_types(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
  }
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<std::atomic<int>> made = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<keygen_gauge> gauge = std::make_shared<keygen_gauge>();

  /// Pairs named by the order they were made in.
  keypair_source counting() {
    return [made = made]() -> caf::expected<ssh_keypair> {
      auto n = ++*made;
      return ssh_keypair{"private " + std::to_string(n), "public " + std::to_string(n)};
    };
  }

  ssh_keygen_actor spawn(keypair_source source, size_t ahead) {
    return sys->spawn<caf::detached>(ssh_keygen, std::move(source), ahead, gauge);
  }

  caf::expected<ssh_keypair> ask(const ssh_keygen_actor& worker) {
    caf::scoped_actor self{*sys};
    caf::expected<ssh_keypair> out{ssh_keypair{}};
    self->request(worker, 5s, keygen_atom::value)
        .receive([&](ssh_keypair& keys) { out = std::move(keys); },
                 [&](caf::error& err) { out = std::move(err); });
    return out;
  }
};

} // namespace

TEST_CASE("keypair_stock: hands out the pairs put in, oldest first, and none when empty") {
  keypair_stock stock{2};
  CHECK_FALSE(stock.take());
  stock.put({"p1", "k1"});
  CHECK_FALSE(stock.full());
  stock.put({"p2", "k2"});
  CHECK(stock.full());
  auto first = stock.take();
  REQUIRE(first);
  CHECK(first->public_key == "k1");
  CHECK(stock.take()->public_key == "k2");
  CHECK_FALSE(stock.take());
  CHECK(stock.size() == 0);
}

TEST_CASE_FIXTURE(keygen_fixture, "ssh_keygen: makes its stock ahead, before anyone asks") {
  auto worker = spawn(counting(), 3);
  REQUIRE(eventually([&] { return made->load() == 3; }));
  // Full: nothing more is made until a pair is handed out.
  std::this_thread::sleep_for(50ms);
  CHECK(made->load() == 3);
  auto keys = ask(worker);
  REQUIRE(keys);
  CHECK(keys->public_key == "public 1");                  // from the stock, made before the ask
  REQUIRE(eventually([&] { return made->load() == 4; })); // and made again behind it
  caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(keygen_fixture, "ssh_keygen: never hands out the same pair twice") {
  auto worker = spawn(counting(), 2);
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto keys = ask(worker);
    REQUIRE(keys);
    CHECK(seen.insert(keys->public_key).second);
    CHECK(seen.size() == static_cast<size_t>(i + 1));
  }
  caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(keygen_fixture, "ssh_keygen: without a stock every pair is made when asked") {
  auto worker = spawn(counting(), 0);
  std::this_thread::sleep_for(50ms);
  CHECK(made->load() == 0);
  auto keys = ask(worker);
  REQUIRE(keys);
  CHECK(keys->public_key == "public 1");
  CHECK(made->load() == 1);
  caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(keygen_fixture, "ssh_keygen: a source that fails answers the asker's error") {
  keypair_source failing = []() -> caf::expected<ssh_keypair> {
    return make_error(errc::runtime_error, "no entropy");
  };
  auto worker = spawn(failing, 2);
  auto keys = ask(worker);
  REQUIRE_FALSE(keys);
  CHECK(message_of(keys.error()).find("no entropy") != std::string::npos);
  // The worker is still there for the next session.
  CHECK_FALSE(ask(worker));
  caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(keygen_fixture, "ssh_keygen: its gauge shows the stock and how long a pair "
                                  "takes to make") {
  CHECK(gauge->make_us.load() == -1);
  auto slow = [](keypair_source inner) -> keypair_source {
    return [inner] {
      std::this_thread::sleep_for(20ms);
      return inner();
    };
  };
  auto worker = spawn(slow(counting()), 2);
  REQUIRE(eventually([&] { return gauge->stocked.load() == 2; }));
  CHECK(gauge->make_us.load() >= 20'000);
  REQUIRE(ask(worker));
  // One taken, and made again behind it.
  CHECK(gauge->stocked.load() <= 1);
  REQUIRE(eventually([&] { return gauge->stocked.load() == 2; }));
  caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
}

TEST_CASE("keygen_ask: counts its holder among the askers while it lives") {
  auto gauge = std::make_shared<keygen_gauge>();
  {
    auto first = std::make_shared<keygen_ask>(gauge);
    keygen_ask second{gauge};
    CHECK(gauge->asked.load() == 2);
    first.reset();
    CHECK(gauge->asked.load() == 1);
  }
  CHECK(gauge->asked.load() == 0);
}

TEST_CASE("keypair_wait_notice: quiet when a pair is ready or comes soon") {
  // A pair in stock for this asker.
  CHECK_FALSE(keypair_wait_notice({1, 0, 175'000}, 1));
  CHECK_FALSE(keypair_wait_notice({3, 2, 175'000}, 1));
  // None in stock, but pairs are quick to make (Ed25519, a pair made once).
  CHECK_FALSE(keypair_wait_notice({0, 0, 45}, 1));
  CHECK_FALSE(keypair_wait_notice({0, 100, 45}, 1));
}

TEST_CASE("keypair_wait_notice: tells the wait, the sessions ahead and what a key takes") {
  auto one = keypair_wait_notice({0, 0, 175'000}, 2);
  REQUIRE(one);
  CHECK(*one == "waiting for the session's SSH keypair before creating 2 kernel(s): 0 "
                "session(s) ahead, about 0.2 s at 175 ms a key");
  // Four ahead, one of them served from the stock: this one waits for four keys.
  auto later = keypair_wait_notice({1, 4, 175'000}, 1);
  REQUIRE(later);
  CHECK(later->find(": 4 session(s) ahead, about 0.7 s at 175 ms a key") != std::string::npos);
  // Quick keys add up behind a long queue.
  auto queue = keypair_wait_notice({0, 2'000, 45}, 1);
  REQUIRE(queue);
  CHECK(queue->find("about 0.1 s") != std::string::npos);
}

TEST_CASE("keypair_wait_notice: with no pair made yet the wait has no estimate and is left "
          "to a check once it has lasted") {
  CHECK_FALSE(keypair_wait_notice({0, 0, -1}, 1));
  CHECK(keypair_wait_unknown({0, 0, -1}));
  CHECK(keypair_wait_unknown({1, 3, -1}));
  CHECK_FALSE(keypair_wait_unknown({1, 0, -1})); // a pair in stock for this asker
  CHECK_FALSE(keypair_wait_unknown({0, 0, 175'000}));
  CHECK(keypair_wait_info(1) == "waiting for the session's SSH keypair before creating 1 "
                                "kernel(s)");
}
