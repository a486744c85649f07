#pragma once

/// Keeps OpenSSL's per-thread error queue from leaking between TLS connections.
///
/// CAF 0.17.6's OpenSSL module (caf::openssl::session) asks SSL_get_error about the result of
/// SSL_read, SSL_write, SSL_accept and SSL_connect without clearing the thread's error queue
/// first. SSL_get_error looks at that queue before anything else, so after one connection fails
/// its handshake (a node with a foreign certificate), the next connection served by the same
/// I/O thread reads the stale errors as its own and is dropped: a refused node knocked off the
/// agents already joined. This file defines those four functions in every binary that sets up a
/// node: each clears the queue, then calls libssl's own. Symbols of the executable come first
/// in the dynamic linker's search, so libcaf_openssl.so's calls land here.

namespace baikal::cluster {

/// Whether libcaf_openssl.so's calls go through the wrappers in this process (the executable
/// exports them ahead of libssl's). configure_node calls it, which also makes sure the linker
/// keeps the wrappers in every binary that sets up a node.
bool openssl_error_queue_cleared_per_call();

} // namespace baikal::cluster
