#pragma once

/// Shared by the docker_*_test.cpp integration tests: an actor system with a Docker actor on
/// the harness's engine, blocking helpers around it, unique names and a one-file tar.

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/after.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <doctest/doctest.h>

#include "actors/docker/docker_actor.hpp"
#include "messages/docker_interface.hpp"
#include "messages/errors.hpp"
#include "support/test_env.hpp"

namespace baikal::test {

inline caf::actor_system_config& docker_test_config(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", 2);
  return cfg;
}

/// One actor system and one Docker actor per test case; the actor exits at the end (a live
/// actor would make ~actor_system wait forever).
struct docker_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{docker_test_config(cfg)};
  docker_actor docker = spawn_docker_actor(sys, {env_value("BAIKAL_TEST_DOCKER_SOCK")});
  caf::scoped_actor self{sys};
  std::string image = env_value("BAIKAL_TEST_IMAGE");

  ~docker_fixture() { caf::anon_send_exit(docker, caf::exit_reason::user_shutdown); }

  /// Sends `c` and waits for the answer.
  caf::expected<docker_reply> call(docker_call c,
                                   std::chrono::seconds timeout = std::chrono::seconds{60}) {
    caf::expected<docker_reply> out{caf::error{}};
    self->request(docker, timeout, std::move(c))
        .receive([&](docker_reply& r) { out = std::move(r); },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  /// A streamed call with `self` as the listener; `pieces` gets every piece that arrived.
  caf::expected<docker_reply> stream(docker_call c, std::vector<std::string>& pieces,
                                     docker_stream_mode mode = docker_stream_mode::lines) {
    docker_stream_call req{std::move(c), mode, 1, caf::actor_cast<docker_listener_actor>(self)};
    caf::expected<docker_reply> out{caf::error{}};
    self->request(docker, std::chrono::seconds{120}, std::move(req))
        .receive([&](docker_reply& r) { out = std::move(r); },
                 [&](caf::error& e) { out = std::move(e); });
    // The engine sent every piece before its completion, so they are all in the mailbox.
    for (bool more = true; more;)
      self->receive([&](docker_stream_event& ev) { pieces.push_back(std::move(ev.data)); },
                    caf::after(std::chrono::milliseconds{0}) >> [&] { more = false; });
    return out;
  }

  /// Asserts success and returns the reply.
  docker_reply ok(docker_call c) {
    auto what = c.method + " " + c.target;
    auto r = call(std::move(c));
    if (!r)
      FAIL(what << " failed: " << message_of(r.error()));
    return std::move(*r);
  }
};

/// "prefix-" plus random hex: tests never collide with each other or with leftovers.
inline std::string unique_name(const std::string& prefix) {
  static std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string out = prefix + "-";
  for (int i = 0; i < 10; ++i)
    out += hex[rng() % 16];
  return out;
}

/// A ustar archive holding one regular file `name` (mode 0644) with `data`.
inline std::string single_file_tar(const std::string& name, const std::string& data) {
  std::string header(512, '\0');
  auto put = [&](size_t offset, size_t width, const std::string& text) {
    header.replace(offset, std::min(text.size(), width), text.substr(0, width));
  };
  auto octal = [](uint64_t value, size_t width) {
    std::string digits(width - 1, '0');
    for (size_t i = width - 1; i-- > 0 && value;) {
      digits[i] = static_cast<char>('0' + (value & 7));
      value >>= 3;
    }
    return digits;
  };
  put(0, 100, name);
  put(100, 8, octal(0644, 8));
  put(108, 8, octal(1000, 8));
  put(116, 8, octal(1000, 8));
  put(124, 12, octal(data.size(), 12));
  put(136, 12, octal(1700000000, 12));
  header[156] = '0';
  put(257, 6, std::string{"ustar", 6});
  put(263, 2, "00");
  // The checksum is computed with its own field read as spaces.
  put(148, 8, std::string(8, ' '));
  unsigned sum = 0;
  for (unsigned char c : header)
    sum += c;
  put(148, 8, octal(sum, 7) + std::string{"\0", 1});
  std::string out = header + data;
  out.append((512 - data.size() % 512) % 512, '\0');
  out.append(1024, '\0');
  return out;
}

/// The content of entry `name` in a ustar archive, or nullopt.
inline std::optional<std::string> tar_entry(const std::string& tar, const std::string& name) {
  for (size_t pos = 0; pos + 512 <= tar.size();) {
    auto entry = std::string{tar.c_str() + pos, strnlen(tar.c_str() + pos, 100)};
    if (entry.empty())
      return std::nullopt;
    auto size = std::stoull(tar.substr(pos + 124, 12), nullptr, 8);
    if (entry == name)
      return tar.substr(pos + 512, size);
    pos += 512 + (size + 511) / 512 * 512;
  }
  return std::nullopt;
}

} // namespace baikal::test
