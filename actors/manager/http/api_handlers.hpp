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
void session_history(const call_ptr& call);
void terminate_session(const call_ptr& call);
void purge_images(const call_ptr& call);
void metrics(const call_ptr& call);
void events(const call_ptr& call);

// -- api_service_routes.cpp: about the manager itself ------------------------------------------
void ready(const call_ptr& call);
void openapi(const call_ptr& call);

// -- api_image_routes.cpp: the image catalogue ---------------------------------------------
void list_images(const call_ptr& call);

// -- api_folder_routes.cpp: the user's storage folders ----------------------------------------
void create_folder(const call_ptr& call);
void list_folders(const call_ptr& call);
void delete_folder(const call_ptr& call);

// -- api_kernel_routes.cpp: operations on a session's main kernel ---------------------------
// Their rows (api_route_entry.hpp: kernel_route_entries) name their readers and renderers;
// restart, which reads the session first, is the one handler of its own.
void restart(const call_ptr& call);

} // namespace baikal::handlers
