#pragma once

/// Request bodies of the HTTP API as Baikal values. Each parser checks every field and answers
/// an `invalid_argument` error naming the first bad one (the API answers it as 400).

#include <map>
#include <string>

#include <caf/expected.hpp>

#include "actors/manager/http/api_limits.hpp"
#include "messages/agent_interface.hpp"
#include "messages/image_types.hpp"
#include "messages/manager_interface.hpp"
#include "messages/session_records.hpp"

namespace baikal {

/// `POST /v1/sessions`: name, image, cluster_mode, cluster_size, resources, environ,
/// network_type, network_id (and scaling_group, mounts). A missing name gets a generated one.
/// (api_session_request.cpp)
caf::expected<session_request> parse_session_request(const std::string& body,
                                                     const api_limits& limits = {});

/// `POST /v1/sessions/{id}/execute`: {mode, code, run_id?, opts?}; session and kernel are
/// filled in from the session's main kernel. Checked as the agent checks it
/// (runtime/runner/execute_checks.hpp).
caf::expected<op::execute> parse_execute(const std::string& body, const api_limits& limits = {});

/// `POST /v1/sessions/{id}/complete`: {text, opts?}.
caf::expected<op::get_completions> parse_completion(const std::string& body,
                                                    const api_limits& limits = {});

/// `POST /v1/sessions/{id}/services/{name}`: an optional {opts}.
caf::expected<op::start_service> parse_start_service(const std::string& body,
                                                     const api_limits& limits = {});

/// `POST /v1/sessions/{id}/commit`: {canonical?, filename?, labels?}.
caf::expected<op::commit> parse_commit(const std::string& body, const api_limits& limits = {});

/// `POST /v1/agents/{id}/images/purge`: {images, force?, noprune?}.
caf::expected<purge_images_req> parse_purge(const std::string& body, const api_limits& limits = {});

/// The `path` query parameter of the file routes: at most limits.max_path_bytes, no NUL;
/// `fallback` when absent or empty, and a required parameter when `fallback` is empty.
/// The most sessions one page of GET /v1/sessions holds.
constexpr uint64_t max_session_page = 1000;

/// The `status`, `limit` and `after` query parameters of GET /v1/sessions.
caf::expected<session_page> parse_session_page(const std::map<std::string, std::string>& query,
                                               const api_limits& limits = {});

/// The `follow` query parameter of GET /v1/sessions/{id}/logs: "true", "1", "false" or "0";
/// false when absent.
caf::expected<bool> parse_follow(const std::map<std::string, std::string>& query);

caf::expected<std::string> parse_path_param(const std::map<std::string, std::string>& query,
                                            const std::string& fallback,
                                            const api_limits& limits = {});

/// A session name users may choose: 1 to 64 letters, digits, '-', '_' or '.', starting with
/// a letter or digit.
bool valid_session_name(const std::string& name);

} // namespace baikal
