#pragma once

/// `GET /v1/sessions/{id}/logs?follow=true`: one actor per client that streams the session's
/// main kernel log as a chunked text/plain body, as it grows, until the session ends.
///
/// Protocol: the actor asks the manager for the session's main kernel (`main_kernel`, as the
/// caller) and its agent for the log with the engine's timestamps (`get_logs`), then again
/// every `log_follow_interval` for the lines since the newest time it has seen
/// (runtime/docker/log_lines.hpp drops the lines at that time it wrote already). The first read
/// opens the stream; a failure before it is the call's error (404, 409 for a session that is
/// not RUNNING). Later, when the kernel cannot be asked, the actor asks for the session: once
/// it is TERMINATING, TERMINATED or ERROR (or gone) the body ends; otherwise (an agent away
/// for a moment) it tries again at the next tick. An ended batch session's stored output is
/// written at once and the body ends. Each tick first checks the client: a closed connection
/// ends the actor, and with it the following (no request outlives its deadline, and a tick
/// to an ended actor is dropped). The Docker I/O is the agent's, on its Docker actor's thread.

#include <chrono>

#include "actors/manager/http/api_call.hpp"

namespace baikal {

/// How often a followed log is read again.
constexpr std::chrono::milliseconds log_follow_interval{500};

void spawn_log_follower(const call_ptr& call);

} // namespace baikal
