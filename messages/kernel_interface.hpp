#pragma once

/// The operations on one kernel, and the interface of the kernel actor that serves them on its
/// agent. The agent's interface (agent_interface.hpp) takes all of them in too: the manager
/// sends them to the agent, which hands each to the kernel's actor.
///
/// A new kernel operation is its struct and its line in kernel_forwarded_actor here, and its
/// handler in the kernel actor (actors/kernel/kernel.cpp): the agent forwards it, the destroying
/// kernel refuses it, the announcement and the agent doubles take it from the list.

#include <caf/optional.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <cstdint>
#include <map>
#include <string>

#include "messages/ack.hpp"
#include "messages/execution_types.hpp"
#include "messages/file_transfer.hpp"
#include "messages/ids.hpp"
#include "messages/image_types.hpp"
#include "messages/inspect.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

namespace op {

struct ping_kernel {
  kernel_id kernel;
};
BAIKAL_INSPECT("op::", ping_kernel, x.kernel)

struct destroy_kernel {
  kernel_id kernel;
  session_id session;
  std::string reason;
  bool suppress_events = false;
};
BAIKAL_INSPECT("op::", destroy_kernel, x.kernel, x.session, x.reason, x.suppress_events)

struct interrupt_kernel {
  kernel_id kernel;
};
BAIKAL_INSPECT("op::", interrupt_kernel, x.kernel)

struct get_completions {
  kernel_id kernel;
  std::string text;
  std::map<std::string, std::string> opts;
};
BAIKAL_INSPECT("op::", get_completions, x.kernel, x.text, x.opts)

/// The container's log; with `timestamps`, each line starts with the engine's time and the
/// streams are merged in time order (runtime/docker/log_lines.hpp); with `since` (the engine's
/// "SECONDS.NANOSECONDS"), only the lines at or after that time.
struct get_logs {
  kernel_id kernel;
  bool timestamps = false;
  std::string since{};
};
BAIKAL_INSPECT("op::", get_logs, x.kernel, x.timestamps, x.since)

struct execute {
  session_id session;
  kernel_id kernel;
  int32_t api_version = 4;
  std::string run_id;
  execution_mode mode = execution_mode::query;
  std::string code;
  std::map<std::string, std::string> opts;
  double flush_timeout = 2.0; ///< seconds before a still-running run answers "continued"
};
BAIKAL_INSPECT("op::", execute, x.session, x.kernel, x.api_version, x.run_id, x.mode, x.code,
               x.opts, x.flush_timeout)

struct start_service {
  kernel_id kernel;
  std::string service;
  std::map<std::string, std::string> opts;
};
BAIKAL_INSPECT("op::", start_service, x.kernel, x.service, x.opts)

struct shutdown_service {
  kernel_id kernel;
  std::string service;
};
BAIKAL_INSPECT("op::", shutdown_service, x.kernel, x.service)

// -- files -------------------------------------------------------------------------------------

struct accept_file {
  kernel_id kernel;
  std::string filename; ///< path inside the container, under /home/work
  std::string data;
};
BAIKAL_INSPECT("op::", accept_file, x.kernel, x.filename, x.data)

struct download_file {
  kernel_id kernel;
  std::string path;
};
BAIKAL_INSPECT("op::", download_file, x.kernel, x.path)

struct download_single {
  kernel_id kernel;
  std::string path;
};
BAIKAL_INSPECT("op::", download_single, x.kernel, x.path)

struct list_files {
  kernel_id kernel;
  std::string path;
};
BAIKAL_INSPECT("op::", list_files, x.kernel, x.path)

// -- commits -----------------------------------------------------------------------------------

struct get_commit_status {
  kernel_id kernel;
  std::string subdir;
};
BAIKAL_INSPECT("op::", get_commit_status, x.kernel, x.subdir)

struct commit {
  kernel_id kernel;
  std::string subdir;
  caf::optional<std::string> canonical;
  caf::optional<std::string> filename;
  std::map<std::string, std::string> extra_labels;
};
BAIKAL_INSPECT("op::", commit, x.kernel, x.subdir, x.canonical, x.filename, x.extra_labels)

} // namespace op

/// get_commit_status's answer.
struct commit_state {
  commit_status status = commit_status::ready;
};
BAIKAL_INSPECT("", commit_state, x.status)

/// What the agent hands to the kernel's actor as it comes, once the kernel is known, the agent
/// serves and the operation's fields pass their checks (agent.cpp).
using kernel_forwarded_actor =
    caf::typed_actor<caf::replies_to<op::ping_kernel>::with<kernel_ping>,
                     caf::replies_to<op::interrupt_kernel>::with<ack>,
                     caf::replies_to<op::get_completions>::with<completion_result>,
                     caf::replies_to<op::execute>::with<execution_result>,
                     caf::replies_to<op::start_service>::with<service_result>,
                     caf::replies_to<op::accept_file>::with<ack>,
                     caf::replies_to<op::download_file>::with<file_bytes>,
                     caf::replies_to<op::download_single>::with<file_bytes>,
                     caf::replies_to<op::list_files>::with<file_listing>,
                     caf::replies_to<op::open_upload>::with<upload_ticket>,
                     caf::replies_to<op::upload_chunk>::with<ack>,
                     caf::replies_to<op::finish_upload>::with<ack>,
                     caf::replies_to<op::abort_upload>::with<ack>,
                     caf::replies_to<op::open_download>::with<download_ticket>,
                     caf::replies_to<op::read_download>::with<file_bytes>,
                     caf::replies_to<op::close_download>::with<ack>,
                     caf::replies_to<op::get_commit_status>::with<commit_state>>;

/// The kernel actor: the forwarded operations, and those the agent does more with than forward
/// (a destroy is owed while the engine is away; logs and commits need the engine; shutting down
/// the service of an unknown kernel is logged, never raised).
using kernel_actor =
    kernel_forwarded_actor::extend<caf::replies_to<op::destroy_kernel>::with<ack>,
                                   caf::replies_to<op::get_logs>::with<kernel_logs>,
                                   caf::replies_to<op::shutdown_service>::with<ack>,
                                   caf::replies_to<op::commit>::with<ack>>;

} // namespace baikal
