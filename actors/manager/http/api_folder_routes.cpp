#include "actors/manager/http/api_ask.hpp"
#include "actors/manager/http/api_folder_requests.hpp"
#include "actors/manager/http/api_handlers.hpp"
#include "runtime/checks/folder_checks.hpp"
#include "runtime/json/folder_json.hpp"

namespace baikal::handlers {

void create_folder(const call_ptr& call) {
  auto name = parse_folder_request(call->req.body);
  if (!name)
    return call->fail(name.error());
  ask_and_reply<folder_info>(call, call->ctx->manager, call->ctx->settings.manager_timeout,
                             api::create_folder{call->user.uuid, *name}, [](const folder_info& f) {
                               return http::json_response(201, json::folder_json(f));
                             });
}

void list_folders(const call_ptr& call) {
  ask_and_reply<std::vector<folder_info>>(
      call, call->ctx->manager, call->ctx->settings.manager_timeout,
      api::list_folders{call->user.uuid}, [](const std::vector<folder_info>& folders) {
        return http::json_response(200, json::folders_json(folders));
      });
}

void delete_folder(const call_ptr& call) {
  auto name = call->param("name");
  if (auto err = checks::check_folder_name("name", name))
    return call->fail(err);
  ask_and_reply<ack>(call, call->ctx->manager, call->ctx->settings.manager_timeout,
                     api::delete_folder{call->user.uuid, name}, [name](const ack&) {
                       return http::json_response(200, json::folder_json(folder_info{name}));
                     });
}

} // namespace baikal::handlers
