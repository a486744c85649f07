#pragma once

/// The Docker actor's typed interface (actors/docker/): the only door to the Docker
/// engine. Callers build a `docker_call` with the plain builders of runtime/docker/ and parse
/// the `docker_reply` with the parsers beside them. A non-2xx answer, a transport failure or an
/// `"error"` line inside a 200 stream arrives as a caf::error of Baikal's category whose message
/// is Docker's own text. These types stay on the agent node; the inspect overloads are there so
/// they can be logged and, if ever needed, announced.

#include <cstdint>
#include <map>
#include <string>

#include <caf/error.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/inspect.hpp"

namespace baikal {

/// One HTTP request to the engine; `target` is relative to the pinned API version
/// ("/containers/json?all=1").
struct docker_call {
  std::string method = "GET"; ///< "GET", "POST", "DELETE", "PUT", "HEAD"
  std::string target;
  std::string body;
  std::string content_type; ///< empty for bodyless requests
  std::map<std::string, std::string> headers;
  uint32_t timeout_ms = 0;   ///< 0: no deadline (wait, exec start, events)
  bool long_running = false; ///< takes its own connection instead of one from the pool
  std::string output_file;   ///< non-empty: a 2xx body is written there, not into the reply
  bool gzip_output = false;  ///< compress what goes to `output_file`
};

BAIKAL_INSPECT("", docker_call, x.method, x.target, x.body, x.content_type, x.headers, x.timeout_ms,
               x.long_running, x.output_file, x.gzip_output)

/// A successful answer (2xx or 304). Streams answer with the last line in `body`; a call
/// with `output_file` answers with an empty `body`.
struct docker_reply {
  uint16_t status = 0;
  std::string body;
  std::map<std::string, std::string> headers; ///< names in lower case
};

BAIKAL_INSPECT("", docker_reply, x.status, x.body, x.headers)

/// How a streamed body reaches the listener.
enum class docker_stream_mode : uint8_t {
  lines = 1, ///< one event per JSON line (pull, push, events, load)
  raw,       ///< chunks as they come (logs follow, export)
};

inline std::string to_string(docker_stream_mode x) {
  return x == docker_stream_mode::lines ? "lines" : "raw";
}

/// A piece of a streamed body, tagged with the caller's `tag`.
struct docker_stream_event {
  uint64_t tag = 0;
  std::string data;
};

BAIKAL_INSPECT("", docker_stream_event, x.tag, x.data)

/// Whoever wants the pieces of a streamed body.
using docker_listener_actor = caf::typed_actor<caf::reacts_to<docker_stream_event>>;

/// A streamed request: pieces go to `listener` as they arrive, the reply comes at the end
/// (or when the stream is cancelled: then it is a normal reply).
struct docker_stream_call {
  docker_call call;
  docker_stream_mode mode = docker_stream_mode::lines;
  uint64_t tag = 0;
  docker_listener_actor listener; ///< may be invalid: the pieces are dropped
};

BAIKAL_INSPECT("", docker_stream_call, x.call, x.mode, x.tag, x.listener)

/// Ends the streams `listener` opened with `tag` (an events stream never ends on its own).
struct docker_cancel_stream {
  docker_listener_actor listener;
  uint64_t tag = 0;
};

BAIKAL_INSPECT("", docker_cancel_stream, x.listener, x.tag)

/// Internal: the engine finished call `id` (sent by the engine's thread to the actor).
struct docker_call_done {
  uint64_t id = 0;
  docker_reply reply;
  caf::error error;
};

BAIKAL_INSPECT("", docker_call_done, x.id, x.reply, x.error)

/// Internal: call `id` reached its `timeout_ms`.
struct docker_call_deadline {
  uint64_t id = 0;
};

BAIKAL_INSPECT("", docker_call_deadline, x.id)

using docker_actor =
    caf::typed_actor<caf::replies_to<docker_call>::with<docker_reply>,
                     caf::replies_to<docker_stream_call>::with<docker_reply>,
                     caf::reacts_to<docker_cancel_stream>,
                     // internal: only the actor itself sends these
                     caf::reacts_to<docker_call_done>, caf::reacts_to<docker_call_deadline>>;

} // namespace baikal
