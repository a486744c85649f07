#include "runtime/cluster/process_stop.hpp"

#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/after.hpp>
#include <caf/atom.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "runtime/logging/log.hpp"

namespace baikal::cluster {

namespace {

using signal_atom = caf::atom_constant<caf::atom("signal")>;

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

} // namespace

stop_cause wait_for_stop(caf::actor_system& sys, const std::vector<watched_actor>& watched) {
  caf::scoped_actor self{sys};
  for (auto& w : watched)
    if (w.second)
      self->monitor(w.second);
  caf::actor waiter = self;
  std::thread signals{[waiter] {
    auto set = stop_signals();
    int sig = 0;
    sigwait(&set, &sig);
    caf::anon_send(waiter, signal_atom::value, sig);
  }};
  stop_cause cause;
  std::vector<caf::down_msg> ended;
  self->receive([&](signal_atom, int sig) { cause.signal = sig; },
                [&](caf::down_msg& dm) { ended.push_back(std::move(dm)); });
  if (!cause.signal) {
    // The actors whose end follows within a moment are named too (see stop_cause::ended).
    for (bool more = true; more;)
      self->receive([&](caf::down_msg& dm) { ended.push_back(std::move(dm)); },
                    [](signal_atom, int) {},
                    caf::after(std::chrono::milliseconds{200}) >> [&] { more = false; });
    for (auto& dm : ended)
      for (auto& w : watched)
        if (w.second && w.second.address() == dm.source)
          cause.ended.emplace_back(w.first, dm.reason);
    if (!cause.ended.empty()) {
      cause.actor = cause.ended.front().first;
      cause.reason = cause.ended.front().second;
    }
  }
  if (!cause.signal)
    // The signal thread still waits: a SIGTERM of its own ends its sigwait.
    pthread_kill(signals.native_handle(), SIGTERM);
  signals.join();
  return cause;
}

int exit_code_of(const stop_cause& cause) {
  return cause.signal ? 0 : 1;
}

void exit_after(std::chrono::seconds grace, int code) {
  std::thread{[grace, code] {
    std::this_thread::sleep_for(grace);
    log::get("node")->error("actors still running {} s after the stop; exiting anyway",
                            grace.count());
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
    std::_Exit(code);
  }}.detach();
}

} // namespace baikal::cluster
