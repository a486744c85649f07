#include "actors/manager/live/terminal_bridge.hpp"

#include <algorithm>
#include <optional>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"
#include "messages/live_interface.hpp"
#include "runtime/logging/log.hpp"

namespace baikal::live {

namespace {

using resume_atom = caf::atom_constant<caf::atom("tty_resum")>;

struct terminal_state {
  live_setup setup;
  std::string run_id; ///< the shell's run, once the runner named it
  bool polling = false;
  bool writing = false;      ///< a write or resize is in flight
  std::string pending_input; ///< keystrokes not written yet
  std::optional<terminal_size> pending_resize;
  bool client_gone = false;
  static inline const char* name = "baikal.terminal_bridge";
};

using terminal_actor = caf::stateful_actor<terminal_state>;

std::shared_ptr<http::websocket> socket_of(terminal_actor* self) {
  return self->state.setup.ws.lock();
}

void end_session(terminal_actor* self, const std::string& reason) {
  if (auto ws = socket_of(self))
    ws->close(reason);
  self->quit();
}

/// Hangs the terminal up without waiting (the shell gets SIGHUP, SIGKILL after a grace).
void hang_up(terminal_actor* self) {
  auto& st = self->state;
  if (!st.run_id.empty())
    caf::anon_send(st.setup.route.handle,
                   aimed_execute(st.setup.route, execution_mode::cancel, {}, st.run_id));
}

void poll(terminal_actor* self, op::execute x);

void poll_more(terminal_actor* self) {
  auto& st = self->state;
  if (auto ws = socket_of(self); ws && ws->queued_bytes() > max_queued_output) {
    self->delayed_send(self, std::chrono::milliseconds(50), resume_atom::value);
    return;
  }
  poll(self, aimed_execute(st.setup.route, execution_mode::continue_, {}, st.run_id));
}

void flush_writes(terminal_actor* self);

void on_output(terminal_actor* self, execution_result& res) {
  auto& st = self->state;
  st.polling = false;
  bool first = st.run_id.empty();
  st.run_id = res.run_id;
  if (st.client_gone) {
    hang_up(self);
    return self->quit();
  }
  std::string bytes;
  for (auto& item : res.console)
    bytes += item.data;
  auto ws = socket_of(self);
  if (ws && !bytes.empty())
    ws->send_binary(std::move(bytes));
  if (res.status == "finished" || res.status == "exec-timeout") {
    int code = res.exit_code ? *res.exit_code : -1;
    log::get("api")->info("terminal of session {} for {} ended: the shell exited with {}",
                          st.setup.route.session, st.setup.user, code);
    if (ws)
      ws->send_text(exit_frame(code));
    return end_session(self, "the shell exited");
  }
  if (first)
    flush_writes(self); // keystrokes typed before the shell had a name
  poll_more(self);
}

void poll(terminal_actor* self, op::execute x) {
  auto& st = self->state;
  st.polling = true;
  auto limit = call_limit(st.setup, x);
  self->request(st.setup.route.handle, limit, std::move(x))
      .then([self](execution_result& res) { on_output(self, res); },
            [self](caf::error& err) {
              self->state.polling = false;
              if (self->state.client_gone) {
                hang_up(self);
                return self->quit();
              }
              if (auto ws = socket_of(self))
                ws->send_text(error_frame(err));
              end_session(self, "the terminal failed");
            });
}

void after_write(terminal_actor* self) {
  self->state.writing = false;
  flush_writes(self);
}

/// One write (or resize) at a time, so keystrokes arrive in the order typed.
void flush_writes(terminal_actor* self) {
  auto& st = self->state;
  if (st.writing || st.run_id.empty() || st.client_gone)
    return;
  op::execute x;
  if (st.pending_resize) {
    x = aimed_execute(st.setup.route, execution_mode::resize, {}, st.run_id);
    x.opts["rows"] = std::to_string(st.pending_resize->rows);
    x.opts["cols"] = std::to_string(st.pending_resize->cols);
    st.pending_resize.reset();
  } else if (!st.pending_input.empty()) {
    auto n = std::min(st.pending_input.size(), st.setup.limits.max_code_bytes);
    x = aimed_execute(st.setup.route, execution_mode::write, st.pending_input.substr(0, n),
                      st.run_id);
    st.pending_input.erase(0, n);
  } else {
    return;
  }
  x.opts.erase("stream");
  x.flush_timeout = 0;
  st.writing = true;
  self->request(st.setup.route.handle, st.setup.call_timeout, std::move(x))
      .then([self](execution_result&) { after_write(self); },
            [self](caf::error& err) {
              // The shell may have closed its terminal a moment ago: its exit comes by the poll.
              log::get("api")->debug("a write to the terminal of session {} failed: {}",
                                     self->state.setup.route.session, message_of(err));
              after_write(self);
            });
}

void on_client_data(terminal_actor* self, std::string data, bool binary) {
  auto& st = self->state;
  if (!binary) {
    auto size = parse_terminal_frame(data);
    if (!size) {
      if (auto ws = socket_of(self))
        ws->send_text(error_frame(size.error()));
      return;
    }
    st.pending_resize = *size;
    return flush_writes(self);
  }
  // A runner request is JSON text without NUL; a terminal has no use for NUL from a keyboard.
  data.erase(std::remove(data.begin(), data.end(), '\0'), data.end());
  st.pending_input += data;
  flush_writes(self);
}

caf::behavior terminal_bridge(terminal_actor* self, live_setup setup, terminal_size size,
                              std::string term) {
  auto& st = self->state;
  st.setup = std::move(setup);
  stop_alone_on_exception(
      self, [] { return std::string{"a terminal"}; },
      [self](const caf::error&) {
        if (auto ws = socket_of(self))
          ws->close("internal error");
      });
  if (st.setup.route.handle)
    self->monitor(st.setup.route.handle);
  self->set_down_handler([self](caf::down_msg&) {
    if (auto ws = socket_of(self))
      ws->send_text(
          error_frame(make_error(errc::unavailable, "the connection to agent " +
                                                        self->state.setup.route.agent + " ended")));
    end_session(self, "the agent went away");
  });
  log::get("api")->info("terminal of session {} opened for {} ({}x{})", st.setup.route.session,
                        st.setup.user, size.rows, size.cols);
  auto start = aimed_execute(st.setup.route, execution_mode::pty);
  start.opts["rows"] = std::to_string(size.rows);
  start.opts["cols"] = std::to_string(size.cols);
  if (!term.empty())
    start.opts["term"] = term;
  // The first answer names the shell's run, which keystrokes wait for: ask for it soon.
  start.flush_timeout = first_poll_seconds;
  poll(self, std::move(start));
  return {
      [self](ws_data_atom, std::string& data, bool binary) {
        on_client_data(self, std::move(data), binary);
      },
      [self](ws_closed_atom, const std::string&) {
        auto& st2 = self->state;
        st2.client_gone = true;
        if (st2.run_id.empty() && st2.polling)
          return; // the shell is named by the first answer, then hung up
        hang_up(self);
        self->quit();
      },
      [self](resume_atom) { poll_more(self); },
  };
}

} // namespace

caf::actor spawn_terminal_bridge(caf::actor_system& sys, live_setup setup, terminal_size size,
                                 std::string term) {
  return sys.spawn(terminal_bridge, std::move(setup), size, std::move(term));
}

} // namespace baikal::live
