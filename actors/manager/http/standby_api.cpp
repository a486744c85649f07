#include "actors/manager/http/standby_api.hpp"

#include <caf/send.hpp>

#include "actors/manager/http/http_api.hpp"
#include "actors/manager/standby_front.hpp"
#include "actors/manager/store_actor.hpp"
#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

standby_api::standby_api(caf::actor_system& sys, const std::string& store_url,
                         api_settings settings, std::chrono::milliseconds store_timeout)
    : view_(std::make_shared<standby_view>()) {
  // A connection of its own, that never takes the lead: reads only.
  auto store = spawn_store(sys, store_url);
  if (store)
    store_ = std::move(*store);
  else
    log::get("manager")->warn("standing by without the database ({}): session reads answer "
                              "503 until this manager leads",
                              message_of(store.error()));
  front_ = spawn_standby_front(sys, store_, store_timeout);
  settings.standby = view_;
  api_ = std::make_unique<http_api>(sys, front_, std::move(settings));
}

standby_api::~standby_api() {
  stop();
}

caf::expected<uint16_t> standby_api::start() {
  return api_->start();
}

void standby_api::stop() {
  static_cast<void>(stop_serving(false));
}

unique_fd standby_api::hand_over_port() {
  return stop_serving(true);
}

unique_fd standby_api::stop_serving(bool keep_listener) {
  if (!api_)
    return {};
  unique_fd listener;
  if (keep_listener)
    listener = api_->hand_over_listener();
  else
    api_->stop();
  api_.reset();
  caf::anon_send_exit(front_, caf::exit_reason::user_shutdown);
  if (store_)
    caf::anon_send_exit(store_, caf::exit_reason::user_shutdown);
  return listener;
}

} // namespace baikal
