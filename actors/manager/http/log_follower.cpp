#include "actors/manager/http/log_follower.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/manager/http/api_ask.hpp"
#include "messages/errors.hpp"
#include "runtime/docker/log_lines.hpp"

namespace baikal {

namespace {

/// Sent to itself every log_follow_interval.
struct follow_tick {};

struct follower_state {
  call_ptr call;
  std::shared_ptr<void> place; ///< one of the caller's stream places, while the actor lives
  std::shared_ptr<http::event_stream> stream;
  docker::log_cursor cursor;
  static inline const char* name = "log_follower";
};

using follower = caf::stateful_actor<follower_state>;

void read_log(follower* self);

void schedule(follower* self) {
  self->delayed_send(self, log_follow_interval, follow_tick{});
}

/// The body ends (or, before the stream opened, the call fails).
void end(follower* self, const caf::error& err = {}) {
  auto& st = self->state;
  if (st.stream)
    st.stream->finish();
  else
    st.call->fail(err ? err : make_error(errc::runtime_error, "the log could not be read"));
  self->quit();
}

void open_stream(follower* self) {
  auto& st = self->state;
  if (st.stream)
    return;
  st.call->ctx->counters.count(st.call->route, 200);
  st.stream = st.call->responder.open_chunked_stream("text/plain; charset=utf-8");
}

void write_lines(follower* self, const kernel_logs& logs) {
  auto& st = self->state;
  std::string text;
  for (auto& line : st.cursor.take(docker::parse_stamped_lines(logs.logs)))
    text.append(line).append("\n");
  open_stream(self);
  if (!st.stream->push(std::move(text)))
    return self->quit();
  schedule(self);
}

/// The kernel could not be asked: the body ends once the session has ended, else the actor
/// tries again later.
void check_session(follower* self, const caf::error& why) {
  auto& st = self->state;
  if (!st.stream)
    return end(self, why);
  auto& ctx = *st.call->ctx;
  self->request(ctx.manager, ctx.settings.manager_timeout,
                api::get_session{st.call->user.uuid, st.call->param("id")})
      .then(
          [self](session_record& rec) {
            if (rec.status >= session_status::terminating)
              return end(self);
            schedule(self);
          },
          [self](caf::error& err) {
            if (code_of(err) == errc::not_found)
              return end(self);
            schedule(self);
          });
}

void read_log(follower* self) {
  auto& st = self->state;
  auto& ctx = *st.call->ctx;
  self->request(ctx.manager, ctx.settings.manager_timeout,
                api::main_kernel{st.call->user.uuid, st.call->param("id"), false})
      .then(
          [self](kernel_route& route) {
            auto& s = self->state;
            self->request(route.handle, s.call->ctx->settings.agent_timeout,
                          op::get_logs{route.kernel, true, s.cursor.since()})
                .then([self](kernel_logs& logs) { write_lines(self, logs); },
                      [self](caf::error& err) { check_session(self, err); });
          },
          [self](caf::error& err) { check_session(self, err); });
}

caf::behavior follower_behavior(follower* self, call_ptr call, std::shared_ptr<void> place) {
  self->state.call = call;
  self->state.place = std::move(place);
  answer_call_on_exception(self, call);
  auto& ctx = *call->ctx;
  // An ended batch session's kernels are gone: its log is the output the store kept.
  self->request(ctx.manager, ctx.settings.manager_timeout,
                api::batch_output{call->user.uuid, call->param("id")})
      .then(
          [self](batch_output_answer& res) {
            if (!res.ended_batch)
              return read_log(self);
            open_stream(self);
            self->state.stream->push(std::move(res.output));
            end(self);
          },
          [self](caf::error& err) { end(self, err); });
  return {
      [self](follow_tick) {
        auto& st = self->state;
        if (!st.stream || st.stream->closed())
          return self->quit();
        read_log(self);
      },
  };
}

} // namespace

void spawn_log_follower(const call_ptr& call) {
  auto& quota = call->ctx->streams;
  auto place = quota.take(call->user.uuid);
  if (!place)
    return call->reply(
        error_response(429, "too_many_requests", quota.refusal("event streams or followed logs")));
  call->ctx->sys.spawn(follower_behavior, call, std::move(place));
}

} // namespace baikal
