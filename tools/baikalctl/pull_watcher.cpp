#include "tools/baikalctl/pull_watcher.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "tools/baikalctl/sse_reader.hpp"

namespace baikal::ctl {

struct pull_watcher::shared {
  mutable std::mutex mx;
  mutable std::condition_variable cv;
  pull_progress progress;
  bool subscribed = false;
  bool ended = false;
  uint64_t news = 0; ///< events other than pull progress
  std::atomic<bool> stopped{false};
};

namespace {

void follow(http::blocking_client http, std::string token,
            std::shared_ptr<pull_watcher::shared> st);

} // namespace

pull_watcher::pull_watcher(const ctl_client& api) : state_(std::make_shared<shared>()) {
  std::thread{[http = api.http(), token = api.token(), st = state_] {
    follow(http, token, st);
  }}.detach();
}

pull_watcher::~pull_watcher() {
  stop();
}

void pull_watcher::stop() {
  state_->stopped = true;
}

bool pull_watcher::wait_subscribed(std::chrono::milliseconds limit) const {
  std::unique_lock<std::mutex> lock{state_->mx};
  return state_->cv.wait_for(lock, limit, [&] { return state_->subscribed || state_->ended; }) &&
         state_->subscribed;
}

uint64_t pull_watcher::wait_news(uint64_t seen, std::chrono::milliseconds limit) const {
  std::unique_lock<std::mutex> lock{state_->mx};
  // Not on `ended`: a stream that ended says nothing more, and the loop polls as before.
  state_->cv.wait_for(lock, limit, [&] { return state_->news > seen; });
  return state_->news;
}

std::vector<pull_view> pull_watcher::pulling(const std::vector<std::string>& images) const {
  std::lock_guard<std::mutex> lock{state_->mx};
  return state_->progress.pulling(images);
}

namespace {

void follow(http::blocking_client http, std::string token,
            std::shared_ptr<pull_watcher::shared> st) {
  http::client_request req;
  req.target = "/v1/events";
  req.headers["Authorization"] = "Bearer " + token;
  sse_reader reader;
  // A stream that fails (no such route, a refused token) only means no progress is drawn:
  // the session's own status still tells the user where it is.
  (void)http.stream(req, [&](std::string_view piece) {
    if (st->stopped)
      return false;
    for (auto& data : reader.feed(piece)) {
      std::lock_guard<std::mutex> lock{st->mx};
      if (data.find(R"("type":"subscribed")") != std::string::npos) {
        st->subscribed = true;
        st->cv.notify_all();
      } else if (auto u = parse_pull_event(data)) {
        st->progress.apply(*u);
      } else {
        ++st->news;
        st->cv.notify_all();
      }
    }
    return true;
  });
  std::lock_guard<std::mutex> lock{st->mx};
  st->ended = true;
  st->cv.notify_all();
}

} // namespace

} // namespace baikal::ctl
