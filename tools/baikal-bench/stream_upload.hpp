#pragma once

/// The benchmark's client of streamed uploads: sends a file on disk to a kernel as the manager's
/// upload route does (op::open_upload, op::upload_chunk of `chunk_bytes` with at most `window`
/// unanswered, op::finish_upload), reading the file a chunk at a time as the route reads the
/// request body. And the RSS of this process, sampled while something runs.

#include <cstdint>
#include <functional>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/error.hpp>

#include "messages/agent_interface.hpp"

namespace baikal::bench {

struct stream_upload_request {
  agent_actor agent;
  kernel_id kernel;
  std::string source;      ///< the file to send
  std::string destination; ///< its path in the kernel
  uint32_t chunk_bytes = 1024 * 1024;
  uint32_t window = 4;
};

/// Sends the file and waits until the kernel put it in place.
caf::error stream_upload(caf::actor_system& sys, const stream_upload_request& req);

/// The largest growth of this process's resident set over its size at the start, in bytes,
/// while `work` runs (sampled every 20 ms).
uint64_t peak_rss_growth(const std::function<void()>& work);

/// Writes `size` bytes of random data to `path` without holding them in memory.
void write_random_file(const std::string& path, uint64_t size);

} // namespace baikal::bench
