#pragma once

/// `GET /v1/events`: one actor per client that subscribes to the manager's events and writes
/// each as a server-sent event (`data: {json}`).
///
/// Protocol: the actor asks the manager to `subscribe_events` with its own handle; on ack it
/// opens the event stream (an error is answered as the error JSON instead). Kernel and
/// execution events are forwarded only when their session belongs to the caller: the first
/// event of a session asks the manager (`get_session` as the caller) and holds that session's
/// events until the answer. Agent-level events (image pulls, agents) go to every subscriber.
/// A one-second tick notices a client that went away (or a server that stopped) and ends the
/// actor, which also ends the subscription; every 15 ticks a comment line keeps proxies from
/// closing an idle stream.

#include "actors/manager/http/api_call.hpp"

namespace baikal {

void spawn_event_subscriber(const call_ptr& call);

/// One SSE message carrying `json`.
std::string sse_message(const std::string& json);

} // namespace baikal
