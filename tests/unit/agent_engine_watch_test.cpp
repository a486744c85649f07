// The engine watch's view of the engine's event stream: which events concern a kernel.

#include <doctest/doctest.h>

#include "actors/agent/engine_watch.hpp"

using namespace baikal;

namespace {

std::string percent_decoded(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

docker::docker_event engine_event(std::string action, std::map<std::string, std::string> attrs) {
  docker::docker_event e;
  e.type = "container";
  e.action = std::move(action);
  e.id = "c0ffee";
  e.attributes = std::move(attrs);
  return e;
}

} // namespace

TEST_CASE("engine watch: a kernel container's die, oom and destroy events are kernel events") {
  for (auto action : {"die", "oom", "destroy"}) {
    auto k = kernel_event_of(
        engine_event(action, {{"ai.backend.kernel-id", "k1"}, {"exitCode", "137"}}));
    REQUIRE(k);
    CHECK(k->action == action);
    CHECK(k->container == "c0ffee");
    CHECK(k->kernel == "k1");
  }
}

TEST_CASE("engine watch: other events, and containers of no kernel, are not") {
  CHECK_FALSE(kernel_event_of(engine_event("start", {{"ai.backend.kernel-id", "k1"}})));
  CHECK_FALSE(kernel_event_of(engine_event("die", {{"name", "someone-else"}})));
  auto network = engine_event("die", {{"ai.backend.kernel-id", "k1"}});
  network.type = "network";
  CHECK_FALSE(kernel_event_of(network));
}

TEST_CASE("engine watch: the stream it follows is this agent's container events only") {
  auto call = kernel_container_events("agent-7");
  CHECK(call.method == "GET");
  CHECK(call.long_running);
  auto target = percent_decoded(call.target);
  CHECK(target.find("/events?filters=") == 0);
  CHECK(target.find(R"("label":["ai.backend.agent-id=agent-7"])") != std::string::npos);
  CHECK(target.find(R"("type":["container"])") != std::string::npos);
  CHECK(target.find(R"("die","oom","destroy")") != std::string::npos);
}
