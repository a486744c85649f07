#pragma once

/// The Docker engine client: owns an io_context, a few threads and a small pool of keep-alive
/// connections, and runs every request with synchronous Beast I/O on those threads, never on
/// the caller's. Results come back through callbacks on an engine thread: callers that are
/// actors only `anon_send` from there.
///
/// Short calls share pooled connections on the pool threads. `long_running` calls (wait, exec
/// start, events, pull, push, export) each get a thread and a fresh connection, so they never
/// starve the pool. `cancel(id)` shuts the call's socket down, which ends a blocked read.
/// A request that fails on a pooled connection the engine had dropped is sent once more on a
/// fresh connection when retry_policy.hpp allows it, and the idle pool is emptied.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <caf/expected.hpp>

#include "messages/docker_interface.hpp"
#include "runtime/docker/connection.hpp"

namespace baikal::docker {

struct engine_options {
  std::string socket_path; ///< empty: DOCKER_HOST, else /var/run/docker.sock
  size_t threads = 3;      ///< pool threads for short calls
  size_t idle_connections = 4;
};

class engine {
public:
  /// Receives the answer, whatever its status; an error only when the engine was unreachable,
  /// the call was cancelled or the engine stopped.
  using done_handler = std::function<void(caf::expected<docker_reply>)>;

  explicit engine(engine_options opts);
  ~engine();

  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// Runs `call` under `id` (unique among running calls); `on_data` (may be empty) receives a
  /// 2xx body piecewise, `on_done` the end. Both run on an engine thread.
  void submit(uint64_t id, docker_call call, data_handler on_data, done_handler on_done);

  /// Ends call `id` early; its `on_done` still runs (with what arrived, or an error).
  void cancel(uint64_t id);

  /// Cancels every call, waits for the threads, and fails calls submitted afterwards.
  void stop();

  const std::string& socket_path() const { return socket_path_; }

private:
  struct call_state;

  void run(uint64_t id, std::shared_ptr<call_state> st, docker_call call, data_handler on_data,
           done_handler on_done);
  caf::expected<docker_reply> perform(call_state& st, const docker_call& call,
                                      const data_handler& on_data);
  std::unique_ptr<connection> take_idle();
  void drop_idle();
  void give_back(std::unique_ptr<connection> conn);

  engine_options opts_;
  std::string socket_path_;
  boost::asio::io_context ioc_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;

  std::mutex mutex_;
  std::condition_variable long_calls_done_;
  size_t long_calls_ = 0;
  bool stopped_ = false;
  std::map<uint64_t, std::shared_ptr<call_state>> calls_;
  std::vector<std::unique_ptr<connection>> idle_;
};

} // namespace baikal::docker
