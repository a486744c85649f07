#pragma once

/// GET /v1/sessions/{id}/download-single?path=P, streamed: the file's bytes go from the kernel
/// to the client in chunks, never held whole by the manager or the agent.
///
/// One actor per request. It asks the manager for the session's main kernel (counted as the
/// session's activity), monitors the kernel's agent, and opens the download there
/// (op::open_download: download_single's checks and errors, the spec's 1 MiB archive limit
/// included, answered as JSON errors since no byte was sent yet). The answer carries the size
/// and the first chunk: the response starts with a Content-Length and that chunk. Further
/// chunks are asked with op::read_download while fewer than `window` are being read or
/// written to the client; each is written in order, and the next asked once one is written.
/// A file that shrank, a chunk that fails or a client that goes away cuts the response (the
/// client sees fewer bytes than announced) and closes the download.

#include <cstddef>
#include <cstdint>
#include <string>

#include "actors/manager/http/api_call.hpp"

namespace baikal {

struct download_stream_options {
  uint32_t chunk_bytes = 1024 * 1024;
  uint32_t window = 4;
};

/// Serves the download of `path` (checked) for `call`.
void spawn_download_stream(const call_ptr& call, std::string path,
                           download_stream_options opts = {});

} // namespace baikal
