#pragma once

/// When a request that failed on a pooled keep-alive connection may be sent again on a fresh
/// one. The engine closes connections that sat idle, and a restarted engine leaves every
/// pooled connection dead: such a request fails before any byte of an answer arrives. Sending
/// it again is safe when the engine cannot have acted on it (it never got the whole request),
/// or when acting twice changes nothing (an idempotent request); anything else would risk a
/// silent double (two execs, two commits) and fails instead.

#include <boost/system/error_code.hpp>

#include "messages/docker_interface.hpp"

namespace baikal::docker {

/// How one attempt of a request ended (connection.hpp's exchange_outcome, plus where the
/// connection came from).
struct attempt_result {
  boost::system::error_code ec;
  bool pooled = false;          ///< the connection came from the idle pool
  bool request_written = false; ///< every byte of the request was handed to the socket
  bool header_read = false;     ///< the answer had begun
};

/// Whether the engine's HTTP layer dropping the connection explains `ec` (closed, reset,
/// broken pipe): what a stale pooled connection fails with.
bool is_dropped_connection(const boost::system::error_code& ec);

/// Whether running `call` twice has the effect of running it once: GET, HEAD, PUT and DELETE,
/// and the POSTs whose repetition is harmless or refused (a container create with a name, a
/// start, stop, kill or wait, a pull, a tag, a push, a network create). Exec create and
/// start, commit, load and import are not.
bool is_idempotent(const docker_call& call);

/// Whether the failed first attempt `first` of `call` is sent once more on a fresh connection.
bool retry_on_fresh_connection(const docker_call& call, const attempt_result& first);

} // namespace baikal::docker
