#pragma once

/// An event sink for tests: records the name and reason of every event it receives.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "messages/agent_interface.hpp"

namespace baikal::test {

struct recorded_events {
  std::mutex mutex;
  std::vector<std::string> lines; ///< "KernelStartedEvent k1 " ...

  void add(std::string line) {
    std::lock_guard<std::mutex> guard{mutex};
    lines.push_back(std::move(line));
  }
  std::vector<std::string> snapshot() {
    std::lock_guard<std::mutex> guard{mutex};
    return lines;
  }
  /// Lines that start with `prefix`.
  std::vector<std::string> matching(const std::string& prefix) {
    std::vector<std::string> out;
    for (auto& line : snapshot())
      if (line.rfind(prefix, 0) == 0)
        out.push_back(line);
    return out;
  }
};

inline event_sink_actor::behavior_type record_events(std::shared_ptr<recorded_events> log) {
  auto kernel = [](const char* name, const kernel_event_header& h) {
    return std::string{name} + " " + h.kernel + " " + h.reason;
  };
  return {
      [=](const kernel_preparing_event& e) { log->add(kernel("KernelPreparingEvent", e.header)); },
      [=](const kernel_pulling_event& e) { log->add(kernel("KernelPullingEvent", e.header)); },
      [=](const kernel_creating_event& e) { log->add(kernel("KernelCreatingEvent", e.header)); },
      [=](const kernel_started_event& e) { log->add(kernel("KernelStartedEvent", e.header)); },
      [=](const kernel_terminated_event& e) {
        log->add(kernel("KernelTerminatedEvent", e.header));
      },
      [=](const do_agent_resource_check_event& e) {
        log->add("DoAgentResourceCheckEvent " + e.agent);
      },
      [=](const agent_terminated_event& e) { log->add("AgentTerminatedEvent " + e.reason); },
      [=](const image_pull_event& e) {
        auto why = e.what == image_pull_event::phase::failed ? " " + e.message : std::string{};
        log->add(to_string(e.what) + " " + e.image + why);
      },
      [=](const execution_event& e) { log->add(to_string(e.what) + " " + e.session); },
      [=](const batch_result_event& e) {
        log->add("BatchResultEvent " + to_string(e.outcome) + " " + e.header.session);
      },
  };
}

} // namespace baikal::test
