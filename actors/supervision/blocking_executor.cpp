#include "actors/supervision/blocking_executor.hpp"

#include <array>
#include <deque>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/send.hpp>
#include <caf/spawn_options.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"

namespace baikal {

namespace {

using worker_free_atom = caf::atom_constant<caf::atom("wrk_free")>;

/// A call waiting for a thread of its lane.
struct waiting_call {
  caf::response_promise promise;
  blocking_job job;
};

struct lane_state {
  uint32_t threads = 0;
  std::vector<caf::actor> workers; ///< every worker of the lane, busy or free
  std::vector<caf::actor> free;
  std::deque<waiting_call> waiting;
};

struct executor_state {
  blocking_limits limits;
  std::string owner;
  std::array<lane_state, 2> lanes;

  lane_state& lane(blocking_lane x) { return lanes[static_cast<size_t>(x)]; }

  ~executor_state() {
    for (auto& lane : lanes) {
      for (auto& call : lane.waiting)
        call.promise.deliver(make_error(errc::unavailable, "the blocking work pool of " + owner +
                                                               " stopped before the call ran"));
      // A worker in the middle of a call finishes it first (its thread cannot be interrupted).
      for (auto& w : lane.workers)
        caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
    }
  }

  static inline const char* name = "baikal.blocking_executor";
};

using executor_ptr = caf::stateful_actor<executor_state>*;

caf::behavior blocking_worker(caf::event_based_actor* self, caf::actor executor,
                              blocking_lane lane) {
  stop_alone_on_exception(self, "a blocking " + to_string(lane) + " worker");
  return {
      [=](blocking_job& job) -> caf::message {
        auto answer = job.fn();
        self->send(executor, worker_free_atom::value, lane, caf::actor_cast<caf::actor>(self));
        return answer;
      },
  };
}

/// A free worker of the lane, spawned if the lane may have one more; none when all are busy.
caf::actor free_worker(executor_ptr self, blocking_lane which) {
  auto& lane = self->state.lane(which);
  if (!lane.free.empty()) {
    auto w = std::move(lane.free.back());
    lane.free.pop_back();
    return w;
  }
  if (lane.workers.size() >= lane.threads)
    return {};
  // Detached: the worker's calls block, so each has a thread of its own. Monitored, not
  // linked: a worker that fails loses its call only, and the lane spawns another when needed.
  auto w = self->spawn<caf::detached + caf::monitored>(blocking_worker,
                                                       caf::actor_cast<caf::actor>(self), which);
  lane.workers.push_back(w);
  return w;
}

caf::result<caf::message> submit(executor_ptr self, blocking_job& job) {
  // The promise is made only for a call that is taken: making one marks the request answered,
  // and an error returned after that would reach nobody.
  if (auto w = free_worker(self, job.lane)) {
    auto rp = self->make_response_promise();
    rp.delegate(w, std::move(job));
    return rp;
  }
  auto& st = self->state;
  auto& lane = st.lane(job.lane);
  if (lane.waiting.size() >= st.limits.queue_limit)
    return make_error(errc::unavailable,
                      "agent work pool full: " + st.owner + " has " + std::to_string(lane.threads) +
                          " " + to_string(job.lane) + " threads busy and " +
                          std::to_string(lane.waiting.size()) + " calls waiting; try again");
  auto rp = self->make_response_promise();
  lane.waiting.push_back({rp, std::move(job)});
  return rp;
}

void worker_free(executor_ptr self, blocking_lane which, caf::actor w) {
  auto& lane = self->state.lane(which);
  if (lane.waiting.empty()) {
    lane.free.push_back(std::move(w));
    return;
  }
  auto call = std::move(lane.waiting.front());
  lane.waiting.pop_front();
  call.promise.delegate(w, std::move(call.job));
}

/// A worker failed (its call was answered with the failure): the lane spawns another for the
/// calls waiting.
void forget_worker(executor_ptr self, const caf::actor_addr& who) {
  for (auto which : {blocking_lane::io, blocking_lane::runs}) {
    auto& lane = self->state.lane(which);
    auto drop = [&](std::vector<caf::actor>& v) {
      for (auto i = v.begin(); i != v.end(); ++i)
        if (i->address() == who) {
          v.erase(i);
          return true;
        }
      return false;
    };
    if (!drop(lane.workers))
      continue;
    drop(lane.free);
    if (!lane.waiting.empty())
      if (auto w = free_worker(self, which))
        worker_free(self, which, std::move(w));
  }
}

caf::behavior blocking_executor(executor_ptr self, blocking_limits limits, std::string owner) {
  auto& st = self->state;
  st.lane(blocking_lane::io).threads = std::max<uint32_t>(1, limits.io_threads);
  st.lane(blocking_lane::runs).threads = std::max<uint32_t>(1, limits.run_threads);
  st.limits = limits;
  st.owner = owner;
  stop_alone_on_exception(self, "the blocking work pool of " + owner);
  self->set_down_handler([self](caf::down_msg& dm) { forget_worker(self, dm.source); });
  return {
      [self](blocking_job& job) { return submit(self, job); },
      [self](worker_free_atom, blocking_lane lane, caf::actor& w) {
        worker_free(self, lane, std::move(w));
      },
  };
}

} // namespace

std::string to_string(blocking_lane lane) {
  return lane == blocking_lane::runs ? "run" : "io";
}

caf::actor spawn_blocking_executor(caf::actor_system& sys, blocking_limits limits,
                                   std::string owner) {
  return sys.spawn(blocking_executor, limits, std::move(owner));
}

} // namespace baikal
