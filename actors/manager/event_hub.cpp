#include "actors/manager/event_hub.hpp"
#include "actors/supervision/stop_alone.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <type_traits>
#include <unordered_map>

#include <caf/message_handler.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/manager/event_log.hpp"
#include "actors/manager/event_stream_filter.hpp"
#include "runtime/json/api_json.hpp"
#include "runtime/json/event_names.hpp"

namespace baikal {

namespace {

/// A client of the numbered feed (GET /v1/events) and what it wants.
struct feed {
  event_feed_actor listener;
  event_selection selection;
};

struct hub_state {
  std::shared_ptr<event_counters> counters;
  // Hashed: looked up per event, and held for every live session.
  std::unordered_map<session_id, session_actor> sessions;
  /// The sessions by their actor's address; the id is the key in `sessions` (keys never move).
  std::unordered_map<caf::actor_addr, const session_id*> session_of;
  /// What each session watches; only sessions waiting for pulls have an entry.
  std::unordered_map<session_id, std::vector<std::string>> pulls_of;
  std::map<std::string, std::set<session_id>> watchers; ///< pull key -> sessions
  std::map<caf::actor_addr, event_sink_actor> subscribers;
  std::map<caf::actor_addr, feed> feeds;
  event_log log{default_event_replay_capacity, 1}; ///< every event numbered, the newest kept
  manager_front_actor front;    ///< gets the kernel events of sessions without a route
  event_stream_filter numbered; ///< which numbered events of each agent were applied
  static inline const char* name = "event_hub";
};

using hub_ptr = event_hub_actor::stateful_pointer<hub_state>;

void unwatch(hub_state& st, const session_id& id) {
  auto watched = st.pulls_of.find(id);
  if (watched == st.pulls_of.end())
    return;
  for (auto& key : watched->second) {
    auto i = st.watchers.find(key);
    if (i == st.watchers.end())
      continue;
    i->second.erase(id);
    if (i->second.empty())
      st.watchers.erase(i);
  }
  st.pulls_of.erase(watched);
}

void attach(hub_ptr self, hub::attach_session& x) {
  auto& st = self->state;
  auto [entry, added] = st.sessions.try_emplace(x.session, x.handle);
  if (!added && entry->second != x.handle) {
    // Another actor for the same session: the old one's entry must not outlive the key.
    st.session_of.erase(entry->second.address());
    entry->second = x.handle;
    added = true;
  }
  if (added)
    self->monitor(x.handle);
  st.session_of[x.handle.address()] = &entry->first;
  unwatch(st, x.session);
  for (auto& key : x.pulls)
    st.watchers[key].insert(x.session);
  if (!x.pulls.empty())
    st.pulls_of[x.session] = std::move(x.pulls);
}

/// The session parks: its events go to the front from now on. The sleep message follows every
/// event already sent to the actor, so the actor sees them all before it decides to end.
void detach(hub_ptr self, const hub::detach_session& x) {
  auto& st = self->state;
  auto i = st.sessions.find(x.session);
  if (i != st.sessions.end() && i->second == x.handle) {
    st.session_of.erase(x.handle.address());
    unwatch(st, x.session);
    st.sessions.erase(i);
    self->demonitor(x.handle.address());
  }
  self->send(x.handle, sess::sleep{});
}

void forget(hub_ptr self, const caf::actor_addr& who) {
  auto& st = self->state;
  st.subscribers.erase(who);
  st.feeds.erase(who);
  // By address, not by a scan: sessions end by the thousand when many are terminated at once.
  auto i = st.session_of.find(who);
  if (i == st.session_of.end())
    return;
  auto s = st.sessions.find(*i->second);
  st.session_of.erase(i);
  if (s == st.sessions.end())
    return;
  unwatch(st, s->first);
  if (s->second.address() == who)
    st.sessions.erase(s);
}

/// The session an event concerns; empty for agent-level events.
template <class Event> session_id session_of(const Event& e) {
  if constexpr (std::is_same_v<Event, execution_event>)
    return e.session;
  else if constexpr (std::is_same_v<Event, image_pull_event> ||
                     std::is_same_v<Event, agent_terminated_event> ||
                     std::is_same_v<Event, do_agent_resource_check_event>)
    return {};
  else
    return e.header.session;
}

/// Numbers the event into the replay log and sends it to the feeds that want it.
template <class Event> void publish(hub_ptr self, const Event& e) {
  auto& st = self->state;
  auto& numbered = st.log.add(json::event_name(e), session_of(e), json::event_json(e));
  for (auto& entry : st.feeds)
    if (selects(entry.second.selection, numbered))
      self->send(entry.second.listener, numbered);
}

template <class Event> void to_subscribers(hub_ptr self, const Event& e) {
  for (auto& entry : self->state.subscribers)
    self->send(entry.second, e);
  publish(self, e);
}

/// A new feed: the replay it asked for is the answer, and live events follow it (both go
/// from this actor to the feed, which sees them in this order).
event_replay follow(hub_ptr self, api::follow_events& x) {
  auto& st = self->state;
  event_replay out;
  if (x.after)
    out = st.log.since(*x.after, x.selection);
  else
    out.last_id = st.log.last_id();
  if (x.listener) {
    self->monitor(x.listener);
    auto key = x.listener.address(); // before the move below: C++17 evaluates the right first
    st.feeds[key] = feed{std::move(x.listener), std::move(x.selection)};
  }
  return out;
}

/// A kernel event: to its session's actor and to the subscribers. Without an actor the session
/// may be parked: the events that matter to a RUNNING session (a kernel started again, or
/// ended, or a batch command's end) go to the front, which spawns the actor again (or drops them
/// for an ended session).
///
/// A kernel's preparing and creating events stay with the log and the subscribers: an agent
/// sends them as a create_kernels begins, just after its session moved to CREATING itself, so
/// they would only re-arm the session's phase timer a few milliseconds later (two messages of
/// the ~37 a launch costs, for nothing).
template <class Event> void route_kernel_event(hub_ptr self, const Event& e) {
  auto& st = self->state;
  ++st.counters->kernel_events;
  constexpr bool for_the_session = !std::is_same_v<Event, kernel_preparing_event> &&
                                   !std::is_same_v<Event, kernel_creating_event>;
  if constexpr (for_the_session) {
    auto i = st.sessions.find(e.header.session);
    if (i != st.sessions.end())
      self->send(i->second, e);
    else if constexpr (std::is_same_v<Event, kernel_started_event> ||
                       std::is_same_v<Event, kernel_terminated_event> ||
                       std::is_same_v<Event, batch_result_event>)
      if (st.front)
        self->send(st.front, e);
  }
  to_subscribers(self, e);
}

/// A finished or failed pull ends every watcher's wait for that image on that agent.
bool ends_the_wait(const image_pull_event& e) {
  return e.what == image_pull_event::phase::finished || e.what == image_pull_event::phase::failed;
}

/// Drops a pull key whose wait ended: the pulls that other sessions start for the same image on
/// the same agent (every session checks its images) would otherwise each reach every session
/// that waited for it, until each of them attached again; in a burst that was most of the
/// manager's messages.
void stop_watching(hub_state& st, std::map<std::string, std::set<session_id>>::iterator key) {
  for (auto& id : key->second) {
    auto watched = st.pulls_of.find(id);
    if (watched == st.pulls_of.end())
      continue;
    auto& keys = watched->second;
    keys.erase(std::remove(keys.begin(), keys.end(), key->first), keys.end());
    if (keys.empty())
      st.pulls_of.erase(watched);
  }
  st.watchers.erase(key);
}

void route_pull_event(hub_ptr self, const image_pull_event& e) {
  auto& c = *self->state.counters;
  switch (e.what) {
  case image_pull_event::phase::started:
    ++c.pulls_started;
    break;
  case image_pull_event::phase::finished:
    ++c.pulls_finished;
    break;
  case image_pull_event::phase::failed:
    ++c.pulls_failed;
    break;
  case image_pull_event::phase::progress:
    break;
  }
  auto& st = self->state;
  auto i = st.watchers.find(pull_key(e.agent, e.image));
  if (i != st.watchers.end()) {
    for (auto& id : i->second)
      self->send(st.sessions[id], e);
    if (ends_the_wait(e))
      stop_watching(st, i);
  }
  to_subscribers(self, e);
}

/// An event a manager link numbered: applied as the plain event unless it is a repeat of one
/// applied already (the link sends again what a broken connection may have lost).
void route_numbered_event(hub_ptr self, numbered_event& x) {
  auto& st = self->state;
  if (!st.numbered.accept(x.agent, x.stream, x.seq)) {
    ++st.counters->event_repeats;
    return;
  }
  x.event.apply(caf::message_handler{
      [self](const kernel_preparing_event& e) { route_kernel_event(self, e); },
      [self](const kernel_pulling_event& e) { route_kernel_event(self, e); },
      [self](const kernel_creating_event& e) { route_kernel_event(self, e); },
      [self](const kernel_started_event& e) { route_kernel_event(self, e); },
      [self](const kernel_terminated_event& e) { route_kernel_event(self, e); },
      [self](const image_pull_event& e) { route_pull_event(self, e); },
      [self](const do_agent_resource_check_event& e) { to_subscribers(self, e); },
      [self](const agent_terminated_event& e) { to_subscribers(self, e); },
      [self](const execution_event& e) { to_subscribers(self, e); },
      [self](const batch_result_event& e) { route_kernel_event(self, e); },
  });
}

event_hub_actor::behavior_type event_hub(hub_ptr self, std::shared_ptr<event_counters> counters,
                                         size_t replay_capacity, uint64_t first_id) {
  self->state.counters = std::move(counters);
  self->state.log = event_log{replay_capacity, first_id};
  stop_alone_on_exception(self, "the event hub");
  self->set_down_handler([self](caf::down_msg& dm) { forget(self, dm.source); });
  return {
      [self](const kernel_preparing_event& e) { route_kernel_event(self, e); },
      [self](const kernel_pulling_event& e) { route_kernel_event(self, e); },
      [self](const kernel_creating_event& e) { route_kernel_event(self, e); },
      [self](const kernel_started_event& e) { route_kernel_event(self, e); },
      [self](const kernel_terminated_event& e) { route_kernel_event(self, e); },
      [self](const image_pull_event& e) { route_pull_event(self, e); },
      [self](const do_agent_resource_check_event& e) { to_subscribers(self, e); },
      [self](const agent_terminated_event& e) { to_subscribers(self, e); },
      [self](const execution_event& e) { to_subscribers(self, e); },
      [self](const batch_result_event& e) { route_kernel_event(self, e); },
      [self](numbered_event& x) { route_numbered_event(self, x); },
      [self](hub::attach_session& x) { attach(self, x); },
      [self](const hub::detach_session& x) { detach(self, x); },
      [self](hub::set_front& x) { self->state.front = std::move(x.front); },
      [self](api::subscribe_events& x) {
        if (x.listener) {
          self->monitor(x.listener);
          self->state.subscribers[x.listener.address()] = x.listener;
        }
        return ack{};
      },
      [self](api::follow_events& x) { return follow(self, x); },
  };
}

} // namespace

event_hub_actor spawn_event_hub(caf::actor_system& sys, std::shared_ptr<event_counters> counters,
                                size_t replay_capacity, uint64_t first_id) {
  return sys.spawn(event_hub, std::move(counters), replay_capacity, first_id);
}

} // namespace baikal
