#include "actors/manager/http/event_subscriber.hpp"

#include <deque>
#include <map>
#include <set>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/manager/http/api_ask.hpp"
#include "actors/manager/http/event_query.hpp"
#include "messages/errors.hpp"
#include "runtime/json/json_writer.hpp"

namespace baikal {

namespace {

/// Sent to itself every second.
struct subscriber_tick {};

struct subscriber_state {
  call_ptr call;
  std::shared_ptr<void> place; ///< one of the caller's event-stream places, while the actor lives
  std::shared_ptr<http::event_stream> stream;
  bool replayed = false;              ///< the manager's answer (with the replay) has come
  uint64_t position = 0;              ///< the highest id queued so far
  std::deque<published_event> queue;  ///< in id order, waiting to be written
  std::vector<published_event> early; ///< live events that came before the answer
  std::map<session_id, bool> visible; ///< sessions whose owner is known
  std::set<session_id> asking;        ///< sessions whose owner is being asked
  int ticks = 0;
};

using subscriber = caf::stateful_actor<subscriber_state>;

void write(subscriber* self, std::string text) {
  auto& st = self->state;
  if (st.stream && !st.stream->push(std::move(text)))
    self->quit();
}

void ask_owner(subscriber* self, const session_id& session);

/// Writes the queued events in order, up to the first whose session's owner is not known yet.
void drain(subscriber* self) {
  auto& st = self->state;
  while (!st.queue.empty()) {
    auto& e = st.queue.front();
    if (!e.session.empty()) {
      auto known = st.visible.find(e.session);
      if (known == st.visible.end())
        return ask_owner(self, e.session);
      if (!known->second) {
        st.queue.pop_front();
        continue;
      }
    }
    write(self, sse_message(e.id, e.type, e.json));
    st.queue.pop_front();
  }
}

void ask_owner(subscriber* self, const session_id& session) {
  auto& st = self->state;
  if (!st.asking.insert(session).second)
    return;
  auto& ctx = *st.call->ctx;
  self->request(ctx.manager, ctx.settings.manager_timeout,
                api::get_session{st.call->user.uuid, session})
      .then(
          [self, session](session_record&) {
            self->state.asking.erase(session);
            self->state.visible[session] = true;
            drain(self);
          },
          [self, session](caf::error& err) {
            auto& s = self->state;
            s.asking.erase(session);
            // Another user's session (or one already gone): its events are not the caller's.
            // Another failure (a timeout) drops the events queued for it and asks again next time.
            if (code_of(err) == errc::not_found)
              s.visible[session] = false;
            else
              for (auto i = s.queue.begin(); i != s.queue.end();)
                i = i->session == session ? s.queue.erase(i) : std::next(i);
            drain(self);
          });
}

void enqueue(subscriber* self, published_event e) {
  auto& st = self->state;
  if (e.id <= st.position)
    return;
  st.position = e.id;
  st.queue.push_back(std::move(e));
}

std::string gap_json(const event_gap& gap) {
  json::writer w;
  w.begin_object();
  w.field("type", "gap");
  w.field("from", static_cast<int64_t>(gap.from));
  w.field("to", static_cast<int64_t>(gap.to));
  w.end_object();
  return w.str();
}

/// The manager's answer: the stream opens with where it starts, a gap if any, the replay.
void open(subscriber* self, event_replay& replay, caf::optional<uint64_t> after) {
  auto& st = self->state;
  st.call->ctx->counters.count(st.call->route, 200);
  st.stream = st.call->responder.open_event_stream();
  auto start = after && *after <= replay.last_id ? *after : replay.last_id;
  write(self, sse_message(start, "subscribed", R"({"type":"subscribed"})"));
  st.position = start;
  if (replay.gap) {
    write(self, sse_message(replay.gap->to, "gap", gap_json(*replay.gap)));
    st.position = std::max(st.position, replay.gap->to);
  }
  st.replayed = true;
  for (auto& e : replay.events)
    enqueue(self, std::move(e));
  for (auto& e : st.early)
    enqueue(self, std::move(e));
  st.early.clear();
  drain(self);
  self->delayed_send(self, std::chrono::seconds(1), subscriber_tick{});
}

caf::behavior subscriber_behavior(subscriber* self, call_ptr call, std::shared_ptr<void> place,
                                  event_query query) {
  self->state.call = call;
  self->state.place = std::move(place);
  // Before the stream opens the call gets the error; after, the stream just ends (its state
  // goes with the actor).
  answer_call_on_exception(self, call);
  auto& ctx = *call->ctx;
  auto feed = caf::actor_cast<event_feed_actor>(self);
  auto after = query.last_event_id;
  self->request(ctx.manager, ctx.settings.manager_timeout,
                api::follow_events{feed, std::move(query.selection), after})
      .then([self, after](event_replay& replay) { open(self, replay, after); },
            [self](caf::error& err) {
              self->state.call->fail(err);
              self->quit();
            });
  return {
      [self](published_event& e) {
        auto& st = self->state;
        if (!st.replayed)
          return st.early.push_back(std::move(e));
        enqueue(self, std::move(e));
        drain(self);
      },
      [self](subscriber_tick) {
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

std::string sse_message(uint64_t id, const std::string& event, const std::string& json) {
  return "id: " + std::to_string(id) + "\nevent: " + event + "\n" + sse_message(json);
}

void spawn_event_subscriber(const call_ptr& call) {
  auto query = parse_event_query(call->req, call->ctx->settings.limits);
  if (!query)
    return call->fail(query.error());
  auto& quota = call->ctx->streams;
  auto place = quota.take(call->user.uuid);
  if (!place)
    return call->reply(error_response(429, "too_many_requests", quota.refusal("event streams")));
  call->ctx->sys.spawn(subscriber_behavior, call, std::move(place), std::move(*query));
}

} // namespace baikal
