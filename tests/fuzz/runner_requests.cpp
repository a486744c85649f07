// The kernel runner's side of its wire: a frame's payload read into a request, and the
// deadlines the runner computes from its numbers (flush_timeout, opts.exec_timeout) as
// op_execute and run_table do.

#include <chrono>

#include "tests/fuzz/fuzz_input.hpp"
#include "tools/baikal-kernel-runner/request.hpp"

BAIKAL_FUZZ_TARGET {
  using namespace baikal::kernel_runner;
  auto req = parse_request({reinterpret_cast<const char*>(data), size});
  if (!req)
    return 0;
  auto now = std::chrono::steady_clock::now();
  if (req->flush_timeout < 0 || req->flush_timeout > max_flush_timeout)
    baikal::fuzz::broken("flush_timeout outside its range");
  (void)after_seconds(now, req->flush_timeout);
  if (req->exec_timeout && *req->exec_timeout > 0)
    (void)after_seconds(now, *req->exec_timeout);
  if (req->port && (*req->port < 1 || *req->port > 65535))
    baikal::fuzz::broken("a port outside 1..65535");
  return 0;
}
