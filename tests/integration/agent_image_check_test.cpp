// create_kernels checks each distinct image of a call once (actors/agent/image_check.hpp): the
// agent talks to the real engine through a proxy of the Docker actor that records every call,
// so the test counts the image inspects and pulls the kernels of one call cost.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "runtime/docker/images.hpp"
#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"
#include "support/registry_tag.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

/// "METHOD target" of every call the agent made, in order.
struct call_log {
  std::mutex mutex;
  std::vector<std::string> calls;

  void add(const docker_call& c) {
    std::lock_guard<std::mutex> guard{mutex};
    calls.push_back(c.method + " " + c.target);
  }
  size_t count(const std::string& line) {
    std::lock_guard<std::mutex> guard{mutex};
    return static_cast<size_t>(std::count(calls.begin(), calls.end(), line));
  }
  size_t count_prefix(const std::string& prefix) {
    std::lock_guard<std::mutex> guard{mutex};
    return static_cast<size_t>(std::count_if(calls.begin(), calls.end(),
                                             [&](auto& c) { return c.rfind(prefix, 0) == 0; }));
  }
};

/// Hands every call to the real Docker actor after recording it.
docker_actor::behavior_type recording_docker(docker_actor::pointer self, docker_actor inner,
                                             std::shared_ptr<call_log> log) {
  return {
      [=](docker_call& c) {
        log->add(c);
        return self->delegate(inner, std::move(c));
      },
      [=](docker_stream_call& c) {
        log->add(c.call);
        return self->delegate(inner, std::move(c));
      },
      [=](docker_cancel_stream& c) { self->send(inner, std::move(c)); },
      [](docker_call_done&) {},
      [](docker_call_deadline&) {},
  };
}

struct recorded_agent : agent_fixture {
  std::shared_ptr<call_log> calls = std::make_shared<call_log>();
  docker_actor proxy;

  recorded_agent() {
    proxy = sys->spawn(recording_docker, docker, calls);
    caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
    agent = spawn_agent(*sys, settings, proxy, sink);
  }

  ~recorded_agent() {
    caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(proxy, caf::exit_reason::user_shutdown);
  }

  std::string inspect_of(const std::string& image) {
    return "GET " + docker::image_inspect(image).target;
  }
};

} // namespace

TEST_CASE_FIXTURE(recorded_agent, "create_kernels inspects each distinct image of a call once, "
                                  "and a missing image fails only its kernels") {
  auto session = "s-images-" + unique_suffix();
  auto missing = std::string{"baikal-test/no-such-image:0"};
  op::create_kernels req{session, {}, {}, cluster_info{}, {}};
  std::vector<kernel_id> good, bad;
  for (int i = 0; i < 3; ++i) {
    good.push_back("k-img-good-" + std::to_string(i) + "-" + unique_suffix());
    req.kernel_ids.push_back(good.back());
    req.configs.push_back(test_kernel_config(good.back(), session));
  }
  for (int i = 0; i < 2; ++i) {
    bad.push_back("k-img-bad-" + std::to_string(i) + "-" + unique_suffix());
    auto cfg = test_kernel_config(bad.back(), session);
    cfg.image.canonical = missing;
    cfg.image.is_local = false;
    cfg.image.auto_pull = auto_pull_policy::none;
    req.kernel_ids.push_back(bad.back());
    req.configs.push_back(cfg);
  }
  auto res = ask<created_kernels>(req);
  REQUIRE(!res);
  auto text = message_of(res.error());
  CHECK(text.find("2 of 5 kernels failed") != std::string::npos);
  for (auto& id : bad) {
    CHECK(text.find("kernel " + id + " failed-to-create") != std::string::npos);
    CHECK(text.find("auto-pull is none") != std::string::npos);
    // The same events as a kernel that checked the image itself.
    CHECK(eventually([&] {
      return events->matching("KernelTerminatedEvent " + id + " failed-to-create").size() == 1;
    }));
    CHECK(events->matching("KernelPreparingEvent " + id).size() == 1);
    CHECK(events->matching("KernelStartedEvent " + id).empty());
    // Its scratch directories, written while the image was inspected, are gone again.
    CHECK(eventually([&] { return !std::filesystem::exists(settings.scratch_root + "/" + id); }));
  }
  for (auto& id : good)
    CHECK(eventually([&] { return events->matching("KernelStartedEvent " + id).size() == 1; }));
  CHECK(calls->count(inspect_of(env_value("BAIKAL_TEST_IMAGE"))) == 1);
  CHECK(calls->count(inspect_of(missing)) == 1);
  CHECK(calls->count_prefix("POST /images/create") == 0);
  for (auto& id : good)
    CHECK(ask<ack>(op::destroy_kernel{id, session, lifecycle_reason::user_requested, true}));
}

TEST_CASE_FIXTURE(recorded_agent,
                  "create_kernels pulls a missing image once for all the kernels of a call") {
  auto pushed = push_own_registry_tag([&](docker_call c) { return engine(std::move(c)); },
                                      "pull-once-" + unique_suffix());
  REQUIRE_MESSAGE(pushed, why(pushed));
  auto image = *pushed;
  auto session = "s-pull-once-" + unique_suffix();
  op::create_kernels req{session, {}, {}, cluster_info{}, {}};
  for (int i = 0; i < 3; ++i) {
    auto id = "k-pull-once-" + std::to_string(i) + "-" + unique_suffix();
    auto cfg = test_kernel_config(id, session);
    cfg.image.canonical = image;
    cfg.image.is_local = false;
    cfg.image.auto_pull = auto_pull_policy::tag;
    auto reg = env_value("BAIKAL_TEST_REGISTRY");
    cfg.image.registry = image_registry{reg, "http://" + reg, "", ""};
    req.kernel_ids.push_back(id);
    req.configs.push_back(cfg);
  }
  auto res = ask<created_kernels>(req);
  REQUIRE_MESSAGE(res, why(res));
  REQUIRE(res->kernels.size() == 3);
  CHECK(calls->count(inspect_of(image)) == 1);
  CHECK(calls->count_prefix("POST /images/create") == 1);
  // Every kernel that found the image missing in its slot says it waits for the pull.
  for (auto& id : req.kernel_ids)
    CHECK(eventually([&] { return events->matching("KernelPullingEvent " + id).size() == 1; }));
  CHECK(engine(docker::image_inspect(image)));
  for (auto& k : res->kernels)
    CHECK(ask<ack>(op::destroy_kernel{k.id, session, lifecycle_reason::user_requested, true}));
}
