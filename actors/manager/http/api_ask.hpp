#pragma once

/// The bridge from an HTTP request to actors. Each request gets a short-lived event-based
/// actor that asks (with a deadline), answers the HTTP request through its responder (which
/// posts to the connection's Asio strand) and ends when no answer is pending. No actor thread
/// blocks and no Asio thread waits for an actor.

#include <chrono>
#include <utility>

#include <caf/event_based_actor.hpp>

#include "actors/manager/http/api_call.hpp"
#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"

namespace baikal {

/// The actor serving `call` answers it with the failure (500 runtime_error naming the route)
/// when one of its handlers throws, instead of leaving the client without an answer.
template <class Self> void answer_call_on_exception(Self* self, const call_ptr& call) {
  stop_alone_on_exception(
      self, [call] { return "the actor serving " + call->route; },
      [call](const caf::error& err) { call->fail(err); });
}

/// Asks `dst` for `msg` and answers the call with `render(result)` (an http_response).
template <class Result, class Handle, class Msg, class Render>
void ask_and_reply(const call_ptr& call, Handle dst, std::chrono::milliseconds limit, Msg msg,
                   Render render) {
  call->ctx->sys.spawn([=](caf::event_based_actor* self) {
    answer_call_on_exception(self, call);
    self->request(dst, limit, msg)
        .then([=](Result& res) { call->reply(render(res)); },
              [=](caf::error& err) { call->fail(err); });
  });
}

/// Finds the main kernel of the call's session (owned by the caller, RUNNING), then asks its
/// agent for `make_op(route)` and hands the result to `done(result, route)`. `activity`: the
/// call counts against the session's idle_timeout.
template <class Result, class MakeOp, class Done>
void ask_main_kernel_then(const call_ptr& call, std::chrono::milliseconds limit, MakeOp make_op,
                          Done done, bool activity = false) {
  auto& ctx = *call->ctx;
  auto manager = ctx.manager;
  auto manager_limit = ctx.settings.manager_timeout;
  ctx.sys.spawn([=](caf::event_based_actor* self) {
    answer_call_on_exception(self, call);
    self->request(manager, manager_limit,
                  api::main_kernel{call->user.uuid, call->param("id"), activity})
        .then(
            [=](kernel_route& route) {
              // A request in flight when the connection to the agent ends is never answered
              // (a cut link, a killed agent): the call would wait for its whole deadline.
              if (route.handle)
                self->monitor(route.handle);
              self->set_down_handler([=](caf::down_msg&) {
                call->fail(make_error(errc::unavailable,
                                      "the connection to agent " + route.agent +
                                          " ended before it answered; the operation on kernel " +
                                          route.kernel + " may or may not have run"));
                self->quit();
              });
              self->request(route.handle, limit, make_op(route))
                  .then([=](Result& res) { done(res, route); },
                        [=](caf::error& err) { call->fail(err); });
            },
            [=](caf::error& err) { call->fail(err); });
  });
}

/// ask_main_kernel_then, answering the call with `render(result)` (an http_response).
template <class Result, class MakeOp, class Render>
void ask_main_kernel(const call_ptr& call, std::chrono::milliseconds limit, MakeOp make_op,
                     Render render, bool activity = false) {
  ask_main_kernel_then<Result>(
      call, limit, std::move(make_op),
      [call, render](Result& res, const kernel_route&) { call->reply(render(res)); }, activity);
}

} // namespace baikal
