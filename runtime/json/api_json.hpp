#pragma once

/// Baikal's values as the HTTP API writes them. Each function answers one JSON document (an
/// object unless said otherwise); baikalctl reads the same shapes back.

#include <string>
#include <vector>

#include "messages/agent_interface.hpp"
#include "messages/events.hpp"
#include "messages/execution_types.hpp"
#include "messages/image_types.hpp"
#include "messages/manager_interface.hpp"
#include "messages/session_records.hpp"

namespace baikal::json {

/// `{"error": CODE, "message": TEXT}`, the body of every failed API call.
std::string error_body(const std::string& code, const std::string& message);

std::string session_json(const session_record& rec);
/// {"sessions": [...]}, with "next" (the id to list after) when more remain.
std::string sessions_json(const std::vector<session_record>& recs, const std::string& next = {});

/// `[{"status", "reason", "at_ms"}]`, oldest first: a session's transitions.
std::string status_history_json(const std::vector<status_change>& history);
/// `{"agents": [...]}`.
std::string agents_json(const std::vector<agent_view>& agents);
/// `{"run_id", "status", "console": [[stream, data], ...], "exit_code", "files"}`.
std::string execution_json(const execution_result& res);
/// `{"files": [...], "errors": ..., "abspath": ...}`; `files` embedded as JSON when it is JSON.
std::string file_listing_json(const file_listing& listing);
/// `{"results": [{"image", "error"}, ...]}`.
std::string purge_json(const purge_images_resp& resp);
std::string completion_json(const completion_result& res);
std::string service_json(const service_result& res);
std::string kernel_info_json(const kernel_info& info);
std::string commit_state_json(const commit_state& st);
std::string logs_json(const kernel_logs& logs);

/// One event as an SSE `data:` payload: `{"type": NAME, ...fields}`.
std::string event_json(const kernel_preparing_event& ev);
std::string event_json(const kernel_pulling_event& ev);
std::string event_json(const kernel_creating_event& ev);
std::string event_json(const kernel_started_event& ev);
std::string event_json(const kernel_terminated_event& ev);
std::string event_json(const do_agent_resource_check_event& ev);
std::string event_json(const agent_terminated_event& ev);
std::string event_json(const image_pull_event& ev);
std::string event_json(const execution_event& ev);
/// Without the output: it can be a MiB, and GET /v1/sessions/{id}/logs answers it.
std::string event_json(const batch_result_event& ev);

} // namespace baikal::json
