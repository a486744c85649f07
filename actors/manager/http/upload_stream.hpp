#pragma once

/// PUT /v1/sessions/{id}/files?path=P, streamed: the request body goes to the session's main
/// kernel in chunks as it arrives, and is never held whole by the manager or the agent.
///
/// One actor per request. It asks the manager for the session's main kernel (counted as the
/// session's activity), monitors the kernel's agent, and opens the upload there
/// (op::open_upload: the kernel confines the path and creates a temporary file beside it, so a
/// path out of /home/work is refused before the client sends its body). Then it reads the body
/// a piece at a time (at most `chunk_bytes`) and sends each piece as an op::upload_chunk,
/// reading the next only while fewer than `window` chunks are unanswered: a slow disk slows the
/// client down instead of filling memory. When the body has ended and every chunk is answered,
/// op::finish_upload puts the file in place and the client gets 200.
///
/// Any failure (a piece the client never sent, a chunk or the finish refused, the agent gone,
/// a deadline) sends op::abort_upload and answers the error, if the client is still there; the
/// kernel also drops the upload when this actor ends, so a failed upload leaves neither a
/// partial file nor a temporary one.

#include <cstddef>
#include <cstdint>
#include <string>

#include "actors/manager/http/api_call.hpp"

namespace baikal {

struct upload_stream_options {
  size_t chunk_bytes = 1024 * 1024;
  uint32_t window = 4;
};

/// Serves the upload of `call` (its body unread: the route streams it) to `path`, checked.
void spawn_upload_stream(const call_ptr& call, std::string path, upload_stream_options opts = {});

} // namespace baikal
