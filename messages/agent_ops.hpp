#pragma once

/// The requests of the agent interface, one struct per operation of 003 (the agent spec) plus
/// the port and probe operations the manager needs. Each is answered as agent_interface.hpp says.

#include <caf/optional.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/execution_types.hpp"
#include "messages/ids.hpp"
#include "messages/image_types.hpp"
#include "messages/kernel_types.hpp"

namespace baikal {

/// The empty answer of an operation that returns nothing.
struct ack {};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, ack&) {
  return f(caf::meta::type_name("baikal::ack"));
}

/// A kernel and the session it belongs to.
struct kernel_session {
  kernel_id kernel;
  session_id session;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, kernel_session& x) {
  return f(caf::meta::type_name("baikal::kernel_session"), x.kernel, x.session);
}

namespace op {

#define BAIKAL_OP(name, ...)                                                                       \
  template <class Inspector> typename Inspector::result_type inspect(Inspector& f, name& x) {      \
    return f(caf::meta::type_name("baikal::op::" #name), __VA_ARGS__);                             \
  }

// -- agent and registry ------------------------------------------------------------------------

struct update_scaling_group {
  std::string scaling_group;
};
BAIKAL_OP(update_scaling_group, x.scaling_group)

struct ping {
  std::string msg;
};
BAIKAL_OP(ping, x.msg)

struct gather_hwinfo {
  bool with_gpus = true;
};
BAIKAL_OP(gather_hwinfo, x.with_gpus)

struct ping_kernel {
  kernel_id kernel;
};
BAIKAL_OP(ping_kernel, x.kernel)

struct sync_kernel_registry {
  std::vector<kernel_session> kernels;
};
BAIKAL_OP(sync_kernel_registry, x.kernels)

/// `stop_signal` is the signal number; only SIGTERM (15) destroys every kernel.
struct shutdown {
  int32_t stop_signal = 15;
};
BAIKAL_OP(shutdown, x.stop_signal)

// -- kernels -----------------------------------------------------------------------------------

struct create_kernels {
  session_id session;
  std::vector<kernel_id> kernel_ids;
  std::vector<kernel_creation_config> configs;
  cluster_info cluster;
  std::map<kernel_id, image_ref> image_refs;
};
BAIKAL_OP(create_kernels, x.session, x.kernel_ids, x.configs, x.cluster, x.image_refs)

struct destroy_kernel {
  kernel_id kernel;
  session_id session;
  std::string reason;
  bool suppress_events = false;
};
BAIKAL_OP(destroy_kernel, x.kernel, x.session, x.reason, x.suppress_events)

struct restart_kernel {
  kernel_id kernel;
  session_id session;
  image_ref image;
  kernel_creation_config updated_config;
};
BAIKAL_OP(restart_kernel, x.kernel, x.session, x.image, x.updated_config)

struct interrupt_kernel {
  kernel_id kernel;
};
BAIKAL_OP(interrupt_kernel, x.kernel)

struct get_completions {
  kernel_id kernel;
  std::string text;
  std::map<std::string, std::string> opts;
};
BAIKAL_OP(get_completions, x.kernel, x.text, x.opts)

struct get_logs {
  kernel_id kernel;
};
BAIKAL_OP(get_logs, x.kernel)

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
BAIKAL_OP(execute, x.session, x.kernel, x.api_version, x.run_id, x.mode, x.code, x.opts,
          x.flush_timeout)

struct trigger_batch_execution {
  session_id session;
  kernel_id kernel;
  std::string code;
  double timeout = 0; ///< seconds, 0 for none
};
BAIKAL_OP(trigger_batch_execution, x.session, x.kernel, x.code, x.timeout)

struct start_service {
  kernel_id kernel;
  std::string service;
  std::map<std::string, std::string> opts;
};
BAIKAL_OP(start_service, x.kernel, x.service, x.opts)

struct shutdown_service {
  kernel_id kernel;
  std::string service;
};
BAIKAL_OP(shutdown_service, x.kernel, x.service)

// -- files -------------------------------------------------------------------------------------

struct accept_file {
  kernel_id kernel;
  std::string filename; ///< path inside the container, under /home/work
  std::string data;
};
BAIKAL_OP(accept_file, x.kernel, x.filename, x.data)

struct download_file {
  kernel_id kernel;
  std::string path;
};
BAIKAL_OP(download_file, x.kernel, x.path)

struct download_single {
  kernel_id kernel;
  std::string path;
};
BAIKAL_OP(download_single, x.kernel, x.path)

struct list_files {
  kernel_id kernel;
  std::string path;
};
BAIKAL_OP(list_files, x.kernel, x.path)

// -- images ------------------------------------------------------------------------------------

struct check_and_pull {
  std::map<std::string, image_config> images;
};
BAIKAL_OP(check_and_pull, x.images)

struct get_commit_status {
  kernel_id kernel;
  std::string subdir;
};
BAIKAL_OP(get_commit_status, x.kernel, x.subdir)

struct commit {
  kernel_id kernel;
  std::string subdir;
  caf::optional<std::string> canonical;
  caf::optional<std::string> filename;
  std::map<std::string, std::string> extra_labels;
};
BAIKAL_OP(commit, x.kernel, x.subdir, x.canonical, x.filename, x.extra_labels)

struct push_image {
  image_ref image;
  image_registry registry;
  caf::optional<double> timeout; ///< seconds; none for no limit
};
BAIKAL_OP(push_image, x.image, x.registry, x.timeout)

struct purge_images {
  purge_images_req request;
};
BAIKAL_OP(purge_images, x.request)

// -- networks ----------------------------------------------------------------------------------

struct create_local_network {
  std::string network_name;
};
BAIKAL_OP(create_local_network, x.network_name)

struct destroy_local_network {
  std::string network_name;
};
BAIKAL_OP(destroy_local_network, x.network_name)

// -- beyond the spec: host ports and probes ----------------------------------------------------

struct assign_port {};
template <class Inspector> typename Inspector::result_type inspect(Inspector& f, assign_port&) {
  return f(caf::meta::type_name("baikal::op::assign_port"));
}

struct release_port {
  uint16_t port = 0;
};
BAIKAL_OP(release_port, x.port)

/// Is this image being pulled right now?
struct check_pulling {
  std::string image;
};
BAIKAL_OP(check_pulling, x.image)

/// Is this kernel being created right now?
struct check_creating {
  kernel_id kernel;
};
BAIKAL_OP(check_creating, x.kernel)

/// Is this kernel's container running?
struct check_running {
  kernel_id kernel;
};
BAIKAL_OP(check_running, x.kernel)

#undef BAIKAL_OP

} // namespace op

/// check_and_pull's answer: image name to the id of the job pulling it.
struct pull_jobs {
  std::map<std::string, std::string> jobs;
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, pull_jobs& x) {
  return f(caf::meta::type_name("baikal::pull_jobs"), x.jobs);
}

/// create_kernels' answer: one entry per created kernel.
struct created_kernels {
  std::vector<kernel_info> kernels;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, created_kernels& x) {
  return f(caf::meta::type_name("baikal::created_kernels"), x.kernels);
}

struct assigned_port {
  uint16_t port = 0;
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, assigned_port& x) {
  return f(caf::meta::type_name("baikal::assigned_port"), x.port);
}

/// A probe's answer: whether the thing is happening, and what the agent knows of it.
/// get_commit_status's answer.
struct commit_state {
  commit_status status = commit_status::ready;
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, commit_state& x) {
  return f(caf::meta::type_name("baikal::commit_state"), x.status);
}

struct probe_result {
  bool active = false;
  std::string detail;
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, probe_result& x) {
  return f(caf::meta::type_name("baikal::probe_result"), x.active, x.detail);
}

} // namespace baikal
