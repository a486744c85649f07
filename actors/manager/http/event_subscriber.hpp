#pragma once

/// `GET /v1/events`: one actor per client that follows the manager's numbered event feed and
/// writes each event as a server-sent event: `id: N`, `event: TYPE`, `data: {json}`.
///
/// Protocol: the actor asks the manager to `follow_events` with its own handle, the client's
/// selection (`?session=`, `?type=`) and, for a client that comes back, the last id it saw
/// (`Last-Event-ID`). The answer opens the stream (an error is answered as the error JSON
/// instead): first `event: subscribed` (its id: where the stream starts), then `event: gap`
/// when events the client asked for are no longer kept, then the replayed events, then live
/// ones. The hub sends the answer and the live events in order; events that arrive before the
/// answer wait for it, and an id at or below the last one written is never written again.
///
/// Kernel and execution events are written only when their session belongs to the caller: the
/// first event of a session asks the manager (`get_session` as the caller), and the events
/// queued behind it wait for the answer, so ids go out in order. Agent-level events (image
/// pulls, agents) go to every client that selects them. A one-second tick notices a client that
/// went away (or a server that stopped) and ends the actor, which also ends the subscription;
/// every 15 ticks a comment line keeps proxies from closing an idle stream.

#include <cstdint>
#include <string>

#include "actors/manager/http/api_call.hpp"

namespace baikal {

void spawn_event_subscriber(const call_ptr& call);

/// One SSE message carrying `json`.
std::string sse_message(const std::string& json);

/// One SSE message with its id and event name.
std::string sse_message(uint64_t id, const std::string& event, const std::string& json);

} // namespace baikal
