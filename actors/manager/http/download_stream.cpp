#include "actors/manager/http/download_stream.hpp"

#include <algorithm>
#include <map>

#include <caf/atom.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/manager/http/api_ask.hpp"
#include "actors/manager/http/transfer_window.hpp"
#include "messages/errors.hpp"

namespace baikal {

namespace {

using chunk_written_atom = caf::atom_constant<caf::atom("chunkdone")>;

enum class download_phase { finding, opening, sending, ended };

struct download_state {
  call_ptr call;
  download_stream_options opts;
  std::string path;
  kernel_route route;
  download_phase phase = download_phase::finding;
  download_ticket ticket;                  ///< `first` moved out once written
  uint64_t next_read = 0;                  ///< offset of the next chunk to ask for
  uint64_t next_write = 0;                 ///< offset of the next chunk to write to the client
  std::map<uint64_t, std::string> arrived; ///< chunks read ahead of the one to write next
  transfer_window window{4};
  std::shared_ptr<http::body_writer> body;
  static inline const char* name = "baikal.download_stream";
};

using download_ptr = caf::stateful_actor<download_state>*;

void end(download_ptr self) {
  auto& st = self->state;
  if (st.phase == download_phase::ended)
    return;
  st.phase = download_phase::ended;
  if (st.ticket.download != 0)
    self->send(st.route.handle, op::close_download{st.route.kernel, st.ticket.download});
  self->quit();
}

/// Fails before the response began: the client gets the error as JSON.
void refuse(download_ptr self, const caf::error& err) {
  self->state.call->fail(err);
  end(self);
}

/// Fails after the response began: the client sees a short body.
void cut(download_ptr self) {
  if (self->state.phase == download_phase::ended)
    return;
  if (self->state.body)
    self->state.body->abort();
  end(self);
}

void write_chunk(download_ptr self, std::string data) {
  auto& st = self->state;
  st.next_write += data.size();
  auto me = caf::actor_cast<caf::actor>(self);
  bool queued = st.body->write(std::move(data), [me](bool written) {
    caf::anon_send(me, chunk_written_atom::value, written);
  });
  if (!queued)
    cut(self);
}

/// Writes what arrived in order, asks for more while the window has room, and ends the body
/// once it is whole.
void pump(download_ptr self) {
  auto& st = self->state;
  while (st.phase == download_phase::sending && !st.arrived.empty() &&
         st.arrived.begin()->first == st.next_write) {
    auto data = std::move(st.arrived.begin()->second);
    st.arrived.erase(st.arrived.begin());
    if (data.empty())
      return cut(self); // the file shrank since it was opened
    write_chunk(self, std::move(data));
  }
  if (st.phase != download_phase::sending)
    return;
  if (st.window.complete() && st.arrived.empty()) {
    st.body->finish();
    return end(self);
  }
  while (st.window.may_start()) {
    auto offset = st.next_read;
    auto n =
        static_cast<uint32_t>(std::min<uint64_t>(st.opts.chunk_bytes, st.ticket.size - offset));
    st.next_read += n;
    st.window.starting();
    st.window.started(st.next_read >= st.ticket.size);
    self->request(st.route.handle, st.call->ctx->settings.agent_timeout,
                  op::read_download{st.route.kernel, st.ticket.download, offset, n})
        .then(
            [self, offset](file_bytes& bytes) {
              self->state.arrived[offset] = std::move(bytes.data);
              pump(self);
            },
            [self](caf::error&) { cut(self); });
  }
}

void start_body(download_ptr self, download_ticket& ticket) {
  auto& st = self->state;
  st.ticket = std::move(ticket);
  st.body = st.call->responder.open_body("application/octet-stream", st.ticket.size);
  if (!st.body)
    return end(self);
  st.call->ctx->counters.count(st.call->route, 200);
  st.phase = download_phase::sending;
  st.next_read = st.ticket.first.size();
  if (st.next_read >= st.ticket.size)
    st.window.source_ended();
  else
    st.window.started(false); // the first chunk: done once written
  // The first chunk counts in the window like any other: done once written.
  if (!st.ticket.first.empty())
    st.arrived[0] = std::move(st.ticket.first);
  pump(self);
}

void open_download_on(download_ptr self, kernel_route route) {
  auto& st = self->state;
  st.route = std::move(route);
  st.phase = download_phase::opening;
  self->monitor(st.route.handle);
  self->set_down_handler([self](caf::down_msg&) {
    if (self->state.phase == download_phase::opening)
      return refuse(self, make_error(errc::unavailable, "the connection to agent " +
                                                            self->state.route.agent +
                                                            " ended before it answered"));
    cut(self);
  });
  self->request(st.route.handle, st.call->ctx->settings.agent_timeout,
                op::open_download{st.route.kernel, st.path, st.opts.chunk_bytes})
      .then([self](download_ticket& t) { start_body(self, t); },
            [self](caf::error& err) { refuse(self, err); });
}

caf::behavior download_stream(download_ptr self, call_ptr call, std::string path,
                              download_stream_options opts) {
  auto& st = self->state;
  st.call = call;
  st.path = std::move(path);
  st.opts = opts;
  st.window = transfer_window{opts.window};
  answer_call_on_exception(self, call);
  auto& ctx = *call->ctx;
  self->request(ctx.manager, ctx.settings.manager_timeout,
                api::main_kernel{call->user.uuid, call->param("id"), true})
      .then([self](kernel_route& route) { open_download_on(self, std::move(route)); },
            [self](caf::error& err) { refuse(self, err); });
  return {
      [self](chunk_written_atom, bool written) {
        if (self->state.phase != download_phase::sending)
          return;
        if (!written)
          return cut(self);
        self->state.window.done();
        pump(self);
      },
  };
}

} // namespace

void spawn_download_stream(const call_ptr& call, std::string path, download_stream_options opts) {
  call->ctx->sys.spawn(download_stream, call, std::move(path), opts);
}

} // namespace baikal
