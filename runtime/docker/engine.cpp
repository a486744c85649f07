#include "runtime/docker/engine.hpp"

#include <sys/socket.h>

#include <boost/asio/post.hpp>

#include "runtime/docker/errors.hpp"
#include "runtime/docker/retry_policy.hpp"

namespace baikal::docker {

/// What a cancelling thread needs: the descriptor of the call's socket while it is in use.
struct engine::call_state {
  std::mutex mutex;
  int fd = -1;
  bool cancelled = false;
};

engine::engine(engine_options opts)
    : opts_(std::move(opts)), socket_path_(socket_path_from(opts_.socket_path)) {
  work_.emplace(ioc_.get_executor());
  for (size_t i = 0; i < std::max<size_t>(opts_.threads, 1); ++i)
    threads_.emplace_back([this] { ioc_.run(); });
}

engine::~engine() {
  stop();
}

void engine::submit(uint64_t id, docker_call call, data_handler on_data, done_handler on_done) {
  auto st = std::make_shared<call_state>();
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (stopped_) {
      on_done(make_error(errc::unavailable, "the Docker client is shutting down"));
      return;
    }
    calls_[id] = st;
    if (call.long_running)
      ++long_calls_;
  }
  if (call.long_running) {
    // Its own thread: a wait or an events stream may block for hours.
    std::thread{[this, id, st, call = std::move(call), on_data = std::move(on_data),
                 on_done = std::move(on_done)]() mutable {
      run(id, std::move(st), std::move(call), std::move(on_data), std::move(on_done));
      std::lock_guard<std::mutex> guard{mutex_};
      if (--long_calls_ == 0)
        long_calls_done_.notify_all();
    }}.detach();
    return;
  }
  boost::asio::post(ioc_, [this, id, st, call = std::move(call), on_data = std::move(on_data),
                           on_done = std::move(on_done)]() mutable {
    run(id, std::move(st), std::move(call), std::move(on_data), std::move(on_done));
  });
}

void engine::run(uint64_t id, std::shared_ptr<call_state> st, docker_call call,
                 data_handler on_data, done_handler on_done) {
  auto result = perform(*st, call, on_data);
  {
    std::lock_guard<std::mutex> guard{mutex_};
    calls_.erase(id);
  }
  on_done(std::move(result));
  // Drop the callbacks here, before a long-call thread reports that it is finished.
  on_data = nullptr;
  on_done = nullptr;
}

caf::expected<docker_reply> engine::perform(call_state& st, const docker_call& call,
                                            const data_handler& on_data) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (stopped_)
      return make_error(errc::unavailable, "the Docker client is shutting down");
  }
  for (int attempt = 0;; ++attempt) {
    // A second attempt never takes a pooled connection: it may be as stale as the first.
    auto conn = call.long_running || attempt > 0 ? nullptr : take_idle();
    bool reused = conn != nullptr;
    if (!conn) {
      conn = std::make_unique<connection>(ioc_, socket_path_);
      if (auto ec = conn->connect())
        return unreachable(socket_path_, ec.message());
    }
    {
      std::lock_guard<std::mutex> guard{st.mutex};
      if (st.cancelled)
        return make_error(errc::runtime_error, "the Docker call was cancelled");
      st.fd = conn->native_handle();
    }
    docker_reply reply;
    auto out = conn->exchange(call, reply, on_data);
    bool cancelled;
    {
      std::lock_guard<std::mutex> guard{st.mutex};
      st.fd = -1;
      cancelled = st.cancelled;
    }
    if (!out.ec) {
      if (!call.long_running && conn->reusable())
        give_back(std::move(conn));
      return reply;
    }
    if (cancelled) {
      if (out.header_read)
        return reply; // a stream the caller ended: what arrived is the answer
      return make_error(errc::runtime_error, "the Docker call was cancelled");
    }
    docker::attempt_result tried{out.ec, reused, out.request_written, out.header_read};
    if (attempt == 0 && retry_on_fresh_connection(call, tried)) {
      // The engine dropped the connection while it sat idle, or restarted: the other idle
      // connections are of the same age, so none of them is trusted either.
      drop_idle();
      continue;
    }
    return unreachable(socket_path_, out.ec.message());
  }
}

void engine::cancel(uint64_t id) {
  std::shared_ptr<call_state> st;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    auto i = calls_.find(id);
    if (i == calls_.end())
      return;
    st = i->second;
  }
  std::lock_guard<std::mutex> guard{st->mutex};
  st->cancelled = true;
  if (st->fd >= 0)
    ::shutdown(st->fd, SHUT_RDWR); // wakes the thread blocked in read
}

void engine::stop() {
  std::vector<uint64_t> ids;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (stopped_)
      return;
    stopped_ = true;
    for (auto& entry : calls_)
      ids.push_back(entry.first);
  }
  for (auto id : ids)
    cancel(id);
  work_.reset();
  for (auto& t : threads_)
    t.join();
  threads_.clear();
  std::unique_lock<std::mutex> guard{mutex_};
  long_calls_done_.wait(guard, [this] { return long_calls_ == 0; });
  idle_.clear();
}

std::unique_ptr<connection> engine::take_idle() {
  std::lock_guard<std::mutex> guard{mutex_};
  if (idle_.empty())
    return nullptr;
  auto conn = std::move(idle_.back());
  idle_.pop_back();
  return conn;
}

void engine::drop_idle() {
  std::lock_guard<std::mutex> guard{mutex_};
  idle_.clear();
}

void engine::give_back(std::unique_ptr<connection> conn) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (!stopped_ && idle_.size() < opts_.idle_connections)
    idle_.push_back(std::move(conn));
}

} // namespace baikal::docker
