#include "actors/manager/live/run_stream.hpp"

#include <deque>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/manager/live/live_frames.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "messages/live_interface.hpp"
#include "runtime/logging/log.hpp"

namespace baikal::live {

namespace {

using resume_atom = caf::atom_constant<caf::atom("ws_resume")>;

struct run_stream_state {
  live_setup setup;
  bool running = false; ///< a run was started and has not finished
  bool polling = false; ///< a call to the kernel is in flight
  std::string run_id;
  std::deque<std::string> inputs; ///< lines the client sent that the run has not had
  bool told_waiting = false;
  bool client_gone = false;
  static inline const char* name = "baikal.run_stream";
};

using stream_actor = caf::stateful_actor<run_stream_state>;

void send_text(stream_actor* self, std::string text) {
  if (auto ws = self->state.setup.ws.lock())
    ws->send_text(std::move(text));
}

/// Cancels the run (its process group gets SIGHUP, SIGKILL after a grace) without waiting.
void cancel_run(stream_actor* self) {
  auto& st = self->state;
  if (!st.running || st.run_id.empty())
    return;
  caf::anon_send(st.setup.route.handle,
                 aimed_execute(st.setup.route, execution_mode::cancel, {}, st.run_id));
  st.running = false;
}

void on_result(stream_actor* self, execution_result& res);

void call_kernel(stream_actor* self, op::execute x) {
  auto& st = self->state;
  st.polling = true;
  auto limit = call_limit(st.setup, x);
  self->request(st.setup.route.handle, limit, std::move(x))
      .then([self](execution_result& res) { on_result(self, res); },
            [self](caf::error& err) {
              auto& st2 = self->state;
              st2.polling = false;
              st2.running = false;
              st2.run_id.clear();
              st2.inputs.clear();
              if (st2.client_gone)
                return self->quit();
              send_text(self, error_frame(err));
            });
}

/// The next call of a run still going: a pending input line, else more output.
void poll_next(stream_actor* self) {
  auto& st = self->state;
  if (st.polling || !st.running)
    return;
  if (auto ws = st.setup.ws.lock(); ws && ws->queued_bytes() > max_queued_output) {
    self->delayed_send(self, std::chrono::milliseconds(50), resume_atom::value);
    return;
  }
  if (!st.inputs.empty()) {
    auto line = std::move(st.inputs.front());
    st.inputs.pop_front();
    st.told_waiting = false;
    return call_kernel(
        self, aimed_execute(st.setup.route, execution_mode::input, std::move(line), st.run_id));
  }
  call_kernel(self, aimed_execute(st.setup.route, execution_mode::continue_, {}, st.run_id));
}

void on_result(stream_actor* self, execution_result& res) {
  auto& st = self->state;
  st.polling = false;
  if (st.run_id.empty()) {
    st.run_id = res.run_id;
    send_text(self, started_frame(res.run_id));
  }
  bool ended = res.status == "finished" || res.status == "exec-timeout";
  if (st.client_gone) {
    if (!ended)
      cancel_run(self);
    return self->quit();
  }
  for (auto& item : res.console)
    send_text(self, output_frame(item));
  if (ended) {
    send_text(self, finished_frame(res));
    st.running = false;
    st.run_id.clear();
    st.inputs.clear();
    return;
  }
  if (res.status == "waiting-input" && st.inputs.empty()) {
    if (!st.told_waiting)
      send_text(self, waiting_input_frame());
    st.told_waiting = true;
    return; // the next input frame resumes the run
  }
  poll_next(self);
}

void on_client_text(stream_actor* self, const std::string& text) {
  auto& st = self->state;
  auto frame = parse_stream_frame(text, st.setup.limits);
  if (!frame)
    return send_text(self, error_frame(frame.error()));
  if (auto* input = std::get_if<input_frame>(&*frame)) {
    if (!st.running)
      return send_text(self, error_frame(make_error(errc::conflict,
                                                    "no run is going on to take this input; send a "
                                                    "run first")));
    st.inputs.push_back(std::move(input->text));
    if (!st.polling)
      poll_next(self);
    return;
  }
  if (st.running)
    return send_text(
        self, error_frame(make_error(errc::conflict,
                                     "a run is still going on this stream (" +
                                         (st.run_id.empty() ? std::string{"starting"} : st.run_id) +
                                         "); wait for its finished frame or open another stream")));
  auto run = std::move(std::get<run_frame>(*frame).run);
  run.session = st.setup.route.session;
  run.kernel = st.setup.route.kernel;
  // The first answer names the run (its started frame, and what a cancel needs): soon.
  run.flush_timeout = first_poll_seconds;
  run.opts["stream"] = "true";
  st.running = true;
  st.told_waiting = false;
  st.run_id.clear();
  call_kernel(self, std::move(run));
}

caf::behavior run_stream(stream_actor* self, live_setup setup) {
  self->state.setup = std::move(setup);
  stop_alone_on_exception(
      self, [] { return std::string{"a stream of live output"}; },
      [self](const caf::error&) {
        if (auto ws = self->state.setup.ws.lock())
          ws->close("internal error");
      });
  if (self->state.setup.route.handle)
    self->monitor(self->state.setup.route.handle);
  self->set_down_handler([self](caf::down_msg&) {
    send_text(self,
              error_frame(make_error(errc::unavailable, "the connection to agent " +
                                                            self->state.setup.route.agent +
                                                            " ended; the run's fate is unknown")));
    if (auto ws = self->state.setup.ws.lock())
      ws->close("the agent went away");
    self->quit();
  });
  return {
      [self](ws_data_atom, const std::string& data, bool binary) {
        if (binary)
          return send_text(
              self, error_frame(
                        make_error(errc::invalid_argument,
                                   "the stream route takes text frames (JSON), not binary ones")));
        on_client_text(self, data);
      },
      [self](ws_closed_atom, const std::string&) {
        auto& st = self->state;
        st.client_gone = true;
        // A first call still in flight names the run when it answers; it is cancelled then.
        if (st.running && st.run_id.empty() && st.polling)
          return;
        cancel_run(self);
        self->quit();
      },
      [self](resume_atom) { poll_next(self); },
  };
}

} // namespace

caf::actor spawn_run_stream(caf::actor_system& sys, live_setup setup) {
  return sys.spawn(run_stream, std::move(setup));
}

} // namespace baikal::live
