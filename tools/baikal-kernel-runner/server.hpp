#pragma once

/// The kernel runner's server: one thread, one poll() loop over the listening socket, the
/// clients, the runs' pipes and a self-pipe for signals.
///
/// Requests are answered in the loop that reads them, except the ones that wait: execute,
/// continue and input answer when their run finishes, blocks on input, or the flush timeout
/// passes; shutdown_service answers when the service's process has gone. Those wait as
/// `waiter`s, settled after every loop turn, so one slow run never holds up another client.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "options.hpp"
#include "request.hpp"
#include "run_table.hpp"
#include "runtime/runner/frame_codec.hpp"
#include "service_table.hpp"

namespace baikal::kernel_runner {

class server {
public:
  explicit server(options opts);

  /// Serves until SIGTERM/SIGINT, then stops every run and service and removes the socket.
  /// Returns the process exit code.
  int serve();

private:
  struct connection {
    unique_fd fd;
    runner::frame_decoder decoder;
    std::string out;
    bool closing = false; ///< close once `out` is written (the stream cannot be resynced)
  };

  /// A request that answers later.
  struct waiter {
    enum kind_type { run_output, service_stop } kind = run_output;
    uint64_t conn = 0;
    std::string id_json;
    std::string target; ///< run id or service name
    time_point deadline;
    time_point next_probe; ///< when to look again whether the run blocks on input
    bool stream = false;   ///< answer as soon as the run has output
  };

  // -- loop (server.cpp) --
  bool listen_socket(std::string& error);
  void build_poll_set(poll_set& set);
  int poll_timeout_ms(time_point now) const;
  void accept_clients();
  void read_client(uint64_t conn_id);
  void write_client(uint64_t conn_id);
  void drain_signals();
  void reap_children();
  void send(uint64_t conn_id, std::string json);
  void stop_everything();

  // -- requests (ops.cpp) --
  void handle_frame(uint64_t conn_id, const std::string& payload);
  void op_execute(uint64_t conn, const request& req);
  void op_interrupt(uint64_t conn, const request& req);
  void op_complete(uint64_t conn, const request& req);
  void op_start_service(uint64_t conn, const request& req);
  void op_shutdown_service(uint64_t conn, const request& req);
  void op_list_services(uint64_t conn, const std::string& id);
  void op_health(uint64_t conn, const std::string& id);
  void settle_waiters(time_point now);
  std::string run_reply(const std::string& id_json, run& r, const char* status);
  /// The terminal modes (write, resize, cancel), which answer at once.
  void op_run_control(uint64_t conn, const request& req);

  options opts_;
  unique_fd listener_;
  unique_fd signal_read_;
  std::map<uint64_t, connection> conns_;
  uint64_t next_conn_ = 1;
  std::vector<waiter> waiters_;
  run_table runs_;
  service_table services_;
  time_point started_at_ = clock_type::now();
  bool stopping_ = false;
};

} // namespace baikal::kernel_runner
