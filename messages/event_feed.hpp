#pragma once

/// The manager's numbered event feed, as `GET /v1/events` streams it: every event the hub
/// routes gets an id (rising by one per event, per manager process), its type name, its
/// session (empty for agent-level events) and its JSON, and is kept in a bounded replay
/// buffer so a client that reconnects with the last id it saw gets what it missed.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/optional.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/ids.hpp"
#include "messages/inspect.hpp"

namespace baikal {

/// One event as the API streams it.
struct published_event {
  uint64_t id = 0;
  std::string type;   ///< "kernel_started", "image_pull", ...
  session_id session; ///< empty for agent-level events (pulls, agents)
  std::string json;   ///< `{"type": NAME, ...fields}`
};
BAIKAL_INSPECT("", published_event, x.id, x.type, x.session, x.json)

/// Which events a feed wants: those of one session (empty: any, agent-level events included)
/// whose type is one of `types` (empty: any).
struct event_selection {
  session_id session;
  std::vector<std::string> types;
};
BAIKAL_INSPECT("", event_selection, x.session, x.types)

/// Ids a replay cannot give (evicted from the buffer, or given by an earlier manager process):
/// the events numbered `from` to `to`, both included, may have been missed.
struct event_gap {
  uint64_t from = 0;
  uint64_t to = 0;
};
BAIKAL_INSPECT("", event_gap, x.from, x.to)

/// The answer to api::follow_events: the gap before the replay (if any), the buffered events
/// after the requested id that pass the selection, and the id of the newest event given so far
/// (the position the live events continue from).
struct event_replay {
  caf::optional<event_gap> gap;
  std::vector<published_event> events;
  uint64_t last_id = 0;
};
BAIKAL_INSPECT("", event_replay, x.gap, x.events, x.last_id)

/// Where the hub sends the live events of a feed.
using event_feed_actor = caf::typed_actor<caf::reacts_to<published_event>>;

namespace api {

/// Subscribes `listener` to the numbered events that pass `selection`, until it terminates.
/// With `after`, the answer replays the buffered events numbered above it; live events follow
/// the answer, none repeated and none skipped.
struct follow_events {
  event_feed_actor listener;
  event_selection selection;
  caf::optional<uint64_t> after;
};
BAIKAL_INSPECT("api::", follow_events, x.listener, x.selection, x.after)

} // namespace api

} // namespace baikal
