#include "actors/manager/http/api_ask.hpp"
#include "actors/manager/http/api_handlers.hpp"
#include "actors/manager/http/api_requests.hpp"
#include "actors/manager/http/event_subscriber.hpp"
#include "messages/errors.hpp"
#include "runtime/json/api_json.hpp"
#include "runtime/json/json_writer.hpp"

namespace baikal::handlers {

namespace {

http::http_response json_ok(std::string body, int status = 200) {
  return http::json_response(status, std::move(body));
}

} // namespace

void health(const call_ptr& call) {
  call->ok(R"({"status":"ok"})");
}

void list_agents(const call_ptr& call) {
  ask_and_reply<std::vector<agent_view>>(
      call, call->ctx->manager, call->ctx->settings.manager_timeout, api::list_agents{},
      [](const std::vector<agent_view>& agents) { return json_ok(json::agents_json(agents)); });
}

void create_session(const call_ptr& call) {
  auto req = parse_session_request(call->req.body, call->ctx->settings.limits);
  if (!req)
    return call->fail(req.error());
  req->owner = call->user.uuid;
  req->access_key = call->user.name;
  auto name = req->name;
  ask_and_reply<session_id>(call, call->ctx->manager, call->ctx->settings.manager_timeout,
                            api::create_session{std::move(*req)}, [name](const session_id& id) {
                              json::writer w;
                              w.begin_object();
                              w.field("id", id);
                              w.field("name", name);
                              w.end_object();
                              return json_ok(w.str(), 201);
                            });
}

void list_sessions(const call_ptr& call) {
  auto page = parse_session_page(call->req.query, call->ctx->settings.limits);
  if (!page)
    return call->fail(page.error());
  // One more than the page holds tells whether more remain.
  auto limit = page->limit;
  if (limit > 0)
    ++page->limit;
  ask_and_reply<std::vector<session_record>>(
      call, call->ctx->manager, call->ctx->settings.manager_timeout,
      api::list_sessions{call->user.uuid, *page}, [limit](std::vector<session_record>& recs) {
        std::string next;
        if (limit > 0 && recs.size() > limit) {
          recs.resize(limit);
          next = recs.back().spec.id;
        }
        return json_ok(json::sessions_json(recs, next));
      });
}

void get_session(const call_ptr& call) {
  ask_and_reply<session_record>(
      call, call->ctx->manager, call->ctx->settings.manager_timeout,
      api::get_session{call->user.uuid, call->param("id")},
      [](const session_record& rec) { return json_ok(json::session_json(rec)); });
}

void session_history(const call_ptr& call) {
  ask_and_reply<std::vector<status_change>>(
      call, call->ctx->manager, call->ctx->settings.manager_timeout,
      api::get_session_history{call->user.uuid, call->param("id")},
      [](const std::vector<status_change>& history) {
        return json_ok(json::status_history_json(history));
      });
}

void terminate_session(const call_ptr& call) {
  auto id = call->param("id");
  ask_and_reply<ack>(call, call->ctx->manager, call->ctx->settings.manager_timeout,
                     api::terminate_session{call->user.uuid, id}, [id](const ack&) {
                       json::writer w;
                       w.begin_object();
                       w.field("id", id);
                       w.field("status", to_string(session_status::terminating));
                       w.end_object();
                       return json_ok(w.str());
                     });
}

void purge_images(const call_ptr& call) {
  auto req = parse_purge(call->req.body, call->ctx->settings.limits);
  if (!req)
    return call->fail(req.error());
  auto& ctx = *call->ctx;
  auto manager = ctx.manager;
  auto manager_limit = ctx.settings.manager_timeout;
  auto limit = ctx.settings.long_timeout;
  auto request = std::move(*req);
  ctx.sys.spawn([=](caf::event_based_actor* self) {
    answer_call_on_exception(self, call);
    self->request(manager, manager_limit, api::agent_handle{call->param("id")})
        .then(
            [=](agent_actor& agent) {
              self->request(agent, limit, op::purge_images{request})
                  .then([=](purge_images_resp& resp) { call->ok(json::purge_json(resp)); },
                        [=](caf::error& err) { call->fail(err); });
            },
            [=](caf::error& err) { call->fail(err); });
  });
}

void metrics(const call_ptr& call) {
  auto counters = &call->ctx->counters;
  ask_and_reply<std::string>(
      call, call->ctx->manager, call->ctx->settings.manager_timeout, api::get_metrics{},
      [counters](const std::string& text) {
        auto body = text;
        if (!body.empty() && body.back() != '\n')
          body.push_back('\n');
        body += counters->prometheus_text();
        return http::http_response{200, "text/plain; version=0.0.4; charset=utf-8", body, {}};
      });
}

void events(const call_ptr& call) {
  spawn_event_subscriber(call);
}

} // namespace baikal::handlers
