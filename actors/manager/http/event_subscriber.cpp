#include "actors/manager/http/event_subscriber.hpp"

#include <map>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/manager/http/api_ask.hpp"
#include "messages/errors.hpp"
#include "runtime/json/api_json.hpp"

namespace baikal {

namespace {

/// Sent to itself every second.
struct subscriber_tick {};

struct subscriber_state {
  call_ptr call;
  std::shared_ptr<void> place; ///< one of the caller's event-stream places, while the actor lives
  std::shared_ptr<http::event_stream> stream;
  std::map<session_id, bool> visible;                  ///< sessions whose owner is known
  std::map<session_id, std::vector<std::string>> held; ///< events awaiting that answer
  int ticks = 0;
};

using subscriber = caf::stateful_actor<subscriber_state>;

void push(subscriber* self, const std::string& json) {
  auto& st = self->state;
  if (st.stream && !st.stream->push(sse_message(json)))
    self->quit();
}

void for_session(subscriber* self, const session_id& session, std::string json) {
  auto& st = self->state;
  auto known = st.visible.find(session);
  if (known != st.visible.end()) {
    if (known->second)
      push(self, json);
    return;
  }
  auto& waiting = st.held[session];
  waiting.push_back(std::move(json));
  if (waiting.size() > 1)
    return; // the question is already asked
  auto& ctx = *st.call->ctx;
  self->request(ctx.manager, ctx.settings.manager_timeout,
                api::get_session{st.call->user.uuid, session})
      .then(
          [self, session](session_record&) {
            self->state.visible[session] = true;
            for (auto& ev : self->state.held[session])
              push(self, ev);
            self->state.held.erase(session);
          },
          [self, session](caf::error& err) {
            // Another user's session (or one already gone): its events are not the caller's.
            if (code_of(err) == errc::not_found)
              self->state.visible[session] = false;
            self->state.held.erase(session);
          });
}

caf::behavior subscriber_behavior(subscriber* self, call_ptr call, std::shared_ptr<void> place) {
  self->state.call = call;
  self->state.place = std::move(place);
  // Before the stream opens the call gets the error; after, the stream just ends (its state
  // goes with the actor).
  answer_call_on_exception(self, call);
  auto& ctx = *call->ctx;
  auto sink = caf::actor_cast<event_sink_actor>(self);
  self->request(ctx.manager, ctx.settings.manager_timeout, api::subscribe_events{sink})
      .then(
          [self](ack) {
            auto& st = self->state;
            st.call->ctx->counters.count(st.call->route, 200);
            st.stream = st.call->responder.open_event_stream();
            push(self, R"({"type":"subscribed"})");
            self->delayed_send(self, std::chrono::seconds(1), subscriber_tick{});
          },
          [self](caf::error& err) {
            self->state.call->fail(err);
            self->quit();
          });
  auto kernel_event = [self](const kernel_event_header& h, std::string json) {
    for_session(self, h.session, std::move(json));
  };
  return {
      [=](const kernel_preparing_event& ev) { kernel_event(ev.header, json::event_json(ev)); },
      [=](const kernel_pulling_event& ev) { kernel_event(ev.header, json::event_json(ev)); },
      [=](const kernel_creating_event& ev) { kernel_event(ev.header, json::event_json(ev)); },
      [=](const kernel_started_event& ev) { kernel_event(ev.header, json::event_json(ev)); },
      [=](const kernel_terminated_event& ev) { kernel_event(ev.header, json::event_json(ev)); },
      [=](const execution_event& ev) { for_session(self, ev.session, json::event_json(ev)); },
      [=](const batch_result_event& ev) { kernel_event(ev.header, json::event_json(ev)); },
      [=](const image_pull_event& ev) { push(self, json::event_json(ev)); },
      [=](const agent_terminated_event& ev) { push(self, json::event_json(ev)); },
      [=](const do_agent_resource_check_event& ev) { push(self, json::event_json(ev)); },
      [=](subscriber_tick) {
        auto& st = self->state;
        if (!st.stream || st.stream->closed())
          return self->quit();
        if (++st.ticks % 15 == 0 && !st.stream->push(": keep-alive\n\n"))
          return self->quit();
        self->delayed_send(self, std::chrono::seconds(1), subscriber_tick{});
      },
  };
}

} // namespace

std::string sse_message(const std::string& json) {
  return "data: " + json + "\n\n";
}

void spawn_event_subscriber(const call_ptr& call) {
  auto& quota = call->ctx->streams;
  auto place = quota.take(call->user.uuid);
  if (!place)
    return call->reply(error_response(
        429, "too_many_requests",
        "this user already has " + std::to_string(quota.per_user()) +
            " event streams open, the most api.max-event-streams-per-user allows; close one "
            "first"));
  call->ctx->sys.spawn(subscriber_behavior, call, std::move(place));
}

} // namespace baikal
