#pragma once

/// The handler of each API route. Each checks its input, then asks the manager or an agent
/// through api_ask.hpp; none blocks.

#include "actors/manager/http/api_call.hpp"

namespace baikal::handlers {

// -- api_session_routes.cpp: the manager's own routes ---------------------------------------
void health(const call_ptr& call);
void list_agents(const call_ptr& call);
void create_session(const call_ptr& call);
void list_sessions(const call_ptr& call);
void get_session(const call_ptr& call);
void terminate_session(const call_ptr& call);
void purge_images(const call_ptr& call);
void metrics(const call_ptr& call);
void events(const call_ptr& call);

// -- api_kernel_routes.cpp: operations on a session's main kernel ---------------------------
void execute(const call_ptr& call);
void interrupt(const call_ptr& call);
void complete(const call_ptr& call);
void restart(const call_ptr& call);
void logs(const call_ptr& call);
void upload_file(const call_ptr& call);
void list_files(const call_ptr& call);
void download(const call_ptr& call);
void download_single(const call_ptr& call);
void start_service(const call_ptr& call);
void shutdown_service(const call_ptr& call);
void commit(const call_ptr& call);
void commit_status(const call_ptr& call);

} // namespace baikal::handlers
