#pragma once

/// One row of the API's route table (api_routes.cpp): method, path, handler and the shape of
/// the request it reads. The session routes and the kernel routes each keep their rows beside
/// their handlers; install_api_routes joins them.

#include <string>
#include <vector>

#include "actors/manager/http/api_call.hpp"

namespace baikal {

/// What a route reads from the request besides its path: `stream` is a body the handler reads
/// as it arrives (http::responder::read_body), bounded by api.max-upload-bytes.
enum class body_kind { none, json, bytes, stream };

struct route_entry {
  const char* method;
  const char* pattern;
  void (*handler)(const call_ptr&);
  bool is_public;
  body_kind body;
  std::vector<std::string> query; ///< the query parameters it reads; {"*"} passes any on
};

/// The routes that ask a session's main kernel (api_kernel_routes.cpp).
const std::vector<route_entry>& kernel_route_entries();

/// The app proxy's route (api_app_routes.cpp): any method, the service's path after it.
const std::vector<route_entry>& app_route_entries();

/// The live routes (api_live_routes.cpp): output as it is printed, and terminals (WebSockets).
const std::vector<route_entry>& live_route_entries();

/// The operators' routes on agents (api_agent_routes.cpp).
const std::vector<route_entry>& agent_route_entries();

} // namespace baikal
