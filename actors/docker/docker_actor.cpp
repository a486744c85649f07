#include "actors/docker/docker_actor.hpp"

#include <cstdio>
#include <map>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/supervision/stop_alone.hpp"
#include "runtime/docker/errors.hpp"
#include "runtime/docker/file_sink.hpp"
#include "runtime/docker/streams.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

/// A request waiting for the engine.
struct pending_call {
  caf::typed_response_promise<docker_reply> promise;
  std::string what; ///< "GET /containers/x/json", for timeout messages
  caf::actor_addr listener;
  uint64_t tag = 0;
};

struct docker_state {
  std::unique_ptr<docker::engine> engine;
  std::map<uint64_t, pending_call> pending;
  uint64_t next_id = 1;

  ~docker_state() {
    // Runs when the actor exits: no engine callback may outlive the engine, and nobody may
    // wait forever for an answer that will not come.
    if (engine)
      engine->stop();
    for (auto& entry : pending)
      entry.second.promise.deliver(make_error(
          errc::unavailable, "the Docker actor stopped before " + entry.second.what + " finished"));
  }

  static inline const char* name = "docker";
};

using self_ptr = docker_actor::stateful_pointer<docker_state>;

// -- engine-thread callbacks: they only build values and anon_send -----------------------

/// Maps the engine's raw answer to the caller's: non-success statuses become errors.
caf::expected<docker_reply> checked(caf::expected<docker_reply> r) {
  if (r && !docker::is_success(r->status))
    return docker::error_of_response(r->status, r->body);
  return r;
}

void send_done(const caf::actor_addr& addr, uint64_t id, caf::expected<docker_reply> r) {
  auto hdl = caf::actor_cast<docker_actor>(caf::actor_cast<caf::strong_actor_ptr>(addr));
  if (!hdl)
    return;
  docker_call_done msg;
  msg.id = id;
  if (r)
    msg.reply = std::move(*r);
  else
    msg.error = std::move(r.error());
  caf::anon_send(hdl, std::move(msg));
}

docker::engine::done_handler on_done(self_ptr self, uint64_t id) {
  return [addr = self->address(), id](caf::expected<docker_reply> r) {
    send_done(addr, id, checked(std::move(r)));
  };
}

/// Handlers for a streamed call: pieces to `listener`, in-stream errors into the outcome.
std::pair<docker::data_handler, docker::engine::done_handler>
stream_handlers(self_ptr self, uint64_t id, const docker_stream_call& req) {
  auto listener = req.listener;
  auto tag = req.tag;
  auto emit = [listener, tag](std::string data) {
    if (listener)
      caf::anon_send(listener, docker_stream_event{tag, std::move(data)});
  };
  if (req.mode == docker_stream_mode::raw)
    return {[emit](std::string_view chunk) { emit(std::string{chunk}); }, on_done(self, id)};
  auto progress = std::make_shared<docker::progress_stream>();
  return {[progress, emit](std::string_view chunk) { progress->feed(chunk, emit); },
          [progress, emit, addr = self->address(), id](caf::expected<docker_reply> r) {
            if (r && docker::is_success(r->status))
              r = progress->finish(std::move(*r), emit);
            send_done(addr, id, checked(std::move(r)));
          }};
}

/// Handlers for a call whose body goes to a file (on the engine thread, never via messages).
std::pair<docker::data_handler, docker::engine::done_handler>
file_handlers(self_ptr self, uint64_t id, const docker_call& call) {
  auto sink = std::make_shared<docker::file_sink>(call.output_file, call.gzip_output);
  return {
      [sink](std::string_view chunk) { sink->write(chunk); },
      [sink, path = call.output_file, addr = self->address(), id](caf::expected<docker_reply> r) {
        auto err = sink->finish();
        if (r && docker::is_success(r->status) && err)
          r = std::move(err);
        if (!r || !docker::is_success(r->status))
          std::remove(path.c_str()); // no half-written file for a failed call
        send_done(addr, id, checked(std::move(r)));
      }};
}

// -- actor-side helpers ------------------------------------------------------------------

uint64_t track(self_ptr self, const docker_call& call, caf::actor_addr listener = {},
               uint64_t tag = 0) {
  auto id = self->state.next_id++;
  auto& entry = self->state.pending[id];
  entry.promise = self->make_response_promise<docker_reply>();
  entry.what = call.method + " " + call.target;
  entry.listener = std::move(listener);
  entry.tag = tag;
  if (call.timeout_ms > 0)
    self->delayed_send(self, std::chrono::milliseconds{call.timeout_ms}, docker_call_deadline{id});
  return id;
}

void finish(self_ptr self, uint64_t id, caf::expected<docker_reply> r) {
  auto i = self->state.pending.find(id);
  if (i == self->state.pending.end())
    return; // already answered by its deadline
  if (r)
    i->second.promise.deliver(std::move(*r));
  else
    i->second.promise.deliver(std::move(r.error()));
  self->state.pending.erase(i);
}

docker_actor::behavior_type docker_impl(self_ptr self, docker::engine_options opts) {
  self->state.engine = std::make_unique<docker::engine>(std::move(opts));
  // Its state's destructor answers what it still owes and stops the engine's thread.
  stop_alone_on_exception(self, "the Docker actor");
  log::get("docker")->info("Docker actor uses unix://{}", self->state.engine->socket_path());
  self->set_down_handler([self](const caf::down_msg& msg) {
    // A listener that is gone wants no more pieces: end its streams.
    for (auto& [id, entry] : self->state.pending)
      if (entry.listener && entry.listener == msg.source)
        self->state.engine->cancel(id);
  });
  return {
      [self](docker_call& call) {
        auto id = track(self, call);
        auto rp = self->state.pending[id].promise;
        if (!call.output_file.empty()) {
          auto [on_data, done] = file_handlers(self, id, call);
          self->state.engine->submit(id, std::move(call), std::move(on_data), std::move(done));
        } else {
          self->state.engine->submit(id, std::move(call), nullptr, on_done(self, id));
        }
        return rp;
      },
      [self](docker_stream_call& req) {
        if (req.listener)
          self->monitor(req.listener);
        auto id = track(self, req.call, req.listener.address(), req.tag);
        auto rp = self->state.pending[id].promise;
        auto [on_data, done] = stream_handlers(self, id, req);
        self->state.engine->submit(id, std::move(req.call), std::move(on_data), std::move(done));
        return rp;
      },
      [self](docker_cancel_stream& req) {
        for (auto& [id, entry] : self->state.pending)
          if (entry.listener && entry.listener == req.listener.address() && entry.tag == req.tag)
            self->state.engine->cancel(id);
      },
      [self](docker_call_done& done) {
        if (done.error)
          finish(self, done.id, std::move(done.error));
        else
          finish(self, done.id, std::move(done.reply));
      },
      [self](docker_call_deadline& deadline) {
        auto i = self->state.pending.find(deadline.id);
        if (i == self->state.pending.end())
          return;
        auto what = i->second.what;
        finish(self, deadline.id,
               make_error(errc::timeout, "the Docker engine did not answer " + what + " in time"));
        self->state.engine->cancel(deadline.id);
      },
  };
}

} // namespace

docker_actor spawn_docker_actor(caf::actor_system& sys, docker::engine_options opts) {
  return sys.spawn(docker_impl, std::move(opts));
}

} // namespace baikal
