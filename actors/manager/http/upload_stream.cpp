#include "actors/manager/http/upload_stream.hpp"

#include <caf/atom.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/manager/http/api_ask.hpp"
#include "actors/manager/http/api_requests.hpp"
#include "actors/manager/http/transfer_window.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/numbers.hpp"

namespace baikal {

namespace {

using body_piece_atom = caf::atom_constant<caf::atom("bodypiece")>;

enum class upload_phase { finding, opening, streaming, finishing, ended };

struct upload_state {
  call_ptr call;
  upload_stream_options opts;
  std::string path;
  kernel_route route;
  upload_phase phase = upload_phase::finding;
  uint64_t upload = 0; ///< the kernel's id of the upload, once open
  uint64_t sent = 0;   ///< bytes handed to the agent so far
  transfer_window window{4};
  static inline const char* name = "baikal.upload_stream";
};

using upload_ptr = caf::stateful_actor<upload_state>*;

std::chrono::milliseconds agent_limit(upload_ptr self) {
  return self->state.call->ctx->settings.agent_timeout;
}

/// Ends the upload with `err`: the kernel drops what it has, the client gets the error.
void fail(upload_ptr self, const caf::error& err) {
  auto& st = self->state;
  if (st.phase == upload_phase::ended)
    return;
  if (st.upload != 0)
    self->send(st.route.handle, op::abort_upload{st.route.kernel, st.upload});
  st.phase = upload_phase::ended;
  st.call->fail(err);
  self->quit();
}

void pump(upload_ptr self);

void finish(upload_ptr self) {
  auto& st = self->state;
  st.phase = upload_phase::finishing;
  self->request(st.route.handle, agent_limit(self),
                op::finish_upload{st.route.kernel, st.upload, st.sent})
      .then(
          [self](ack&) {
            self->state.phase = upload_phase::ended;
            self->state.call->reply(http::json_response(200, R"({"status":"ok"})"));
            self->quit();
          },
          [self](caf::error& err) {
            self->state.upload = 0; // the kernel dropped it already
            fail(self, err);
          });
}

void send_chunk(upload_ptr self, std::string data) {
  auto& st = self->state;
  auto offset = st.sent;
  st.sent += data.size();
  self->request(st.route.handle, agent_limit(self),
                op::upload_chunk{st.route.kernel, st.upload, offset, std::move(data)})
      .then(
          [self](ack&) {
            self->state.window.done();
            pump(self);
          },
          [self](caf::error& err) { fail(self, err); });
}

void on_piece(upload_ptr self, std::string& data, bool last, std::string& error, bool too_large) {
  auto& st = self->state;
  if (st.phase != upload_phase::streaming)
    return;
  if (!error.empty())
    return fail(self, make_error(too_large ? errc::too_large : errc::invalid_argument, error));
  if (data.empty()) {
    st.window.source_ended();
  } else {
    st.window.started(last);
    send_chunk(self, std::move(data));
  }
  pump(self);
}

/// Reads the next piece while the window has room; finishes once everything is written.
void pump(upload_ptr self) {
  auto& st = self->state;
  if (st.phase != upload_phase::streaming)
    return;
  if (st.window.complete())
    return finish(self);
  if (!st.window.may_start())
    return;
  st.window.starting();
  auto me = caf::actor_cast<caf::actor>(self);
  st.call->responder.read_body(st.opts.chunk_bytes, [me](http::body_piece p) {
    caf::anon_send(me, body_piece_atom::value, std::move(p.data), p.last, std::move(p.error),
                   p.too_large);
  });
}

void open_upload_on(upload_ptr self, kernel_route route) {
  auto& st = self->state;
  st.route = std::move(route);
  st.phase = upload_phase::opening;
  // A request in flight when the connection to the agent ends is never answered.
  self->monitor(st.route.handle);
  self->set_down_handler([self](caf::down_msg&) {
    fail(self,
         make_error(errc::unavailable, "the connection to agent " + self->state.route.agent +
                                           " ended during the upload; nothing was put in place"));
  });
  auto size = checks::parse_unsigned(st.call->req.header("content-length"));
  self->request(st.route.handle, agent_limit(self),
                op::open_upload{st.route.kernel, st.path, size ? *size : 0})
      .then(
          [self](upload_ticket& t) {
            self->state.upload = t.upload;
            self->state.phase = upload_phase::streaming;
            pump(self);
          },
          [self](caf::error& err) { fail(self, err); });
}

caf::behavior upload_stream(upload_ptr self, call_ptr call, std::string path,
                            upload_stream_options opts) {
  auto& st = self->state;
  st.call = call;
  st.path = std::move(path);
  st.opts = opts;
  st.window = transfer_window{opts.window};
  answer_call_on_exception(self, call);
  auto& ctx = *call->ctx;
  self->request(ctx.manager, ctx.settings.manager_timeout,
                api::main_kernel{call->user.uuid, call->param("id"), true})
      .then([self](kernel_route& route) { open_upload_on(self, std::move(route)); },
            [self](caf::error& err) { fail(self, err); });
  return {
      [self](body_piece_atom, std::string& data, bool last, std::string& error, bool too_large) {
        on_piece(self, data, last, error, too_large);
      },
  };
}

} // namespace

void spawn_upload_stream(const call_ptr& call, std::string path, upload_stream_options opts) {
  call->ctx->sys.spawn(upload_stream, call, std::move(path), opts);
}

} // namespace baikal
