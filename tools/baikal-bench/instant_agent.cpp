#include "tools/baikal-bench/instant_agent.hpp"

#include <caf/typed_event_based_actor.hpp>

#include "messages/errors.hpp"

namespace baikal::bench {

namespace {

caf::error unsupported(const char* what) {
  return make_error(errc::runtime_error, std::string{"the instant agent does not do "} + what);
}

#define BAIKAL_BENCH_UNSUPPORTED(name, R)                                                          \
  [](op::name&) -> caf::result<R> { return unsupported(#name); }

agent_actor::behavior_type instant_agent(agent_id id, std::shared_ptr<arrival_log> log) {
  return {
      [](op::check_and_pull& x) {
        pull_jobs jobs;
        for (auto& entry : x.images)
          jobs.jobs[entry.first] = "pulled";
        return jobs;
      },
      [id, log](op::create_kernels& x) {
        log->add(x.kernel_ids.size());
        created_kernels out;
        out.kernels.reserve(x.kernel_ids.size());
        for (auto& k : x.kernel_ids)
          out.kernels.push_back(
              kernel_info{k, x.session, id, "127.0.0.1", "c-" + k, "default", {}, {}, {}});
        return out;
      },
      [](op::create_local_network&) { return ack{}; },
      [](op::assign_port&) { return assigned_port{30000}; },
      [](op::destroy_kernel&) { return ack{}; },
      [](op::destroy_local_network&) { return ack{}; },
      [](op::ping& x) { return x.msg; },
      BAIKAL_BENCH_UNSUPPORTED(update_scaling_group, ack),
      BAIKAL_BENCH_UNSUPPORTED(gather_hwinfo, hardware_info),
      BAIKAL_BENCH_UNSUPPORTED(ping_kernel, kernel_ping),
      BAIKAL_BENCH_UNSUPPORTED(sync_kernel_registry, ack),
      BAIKAL_BENCH_UNSUPPORTED(shutdown, ack),
      BAIKAL_BENCH_UNSUPPORTED(restart_kernel, kernel_info),
      BAIKAL_BENCH_UNSUPPORTED(interrupt_kernel, ack),
      BAIKAL_BENCH_UNSUPPORTED(get_completions, completion_result),
      BAIKAL_BENCH_UNSUPPORTED(get_logs, kernel_logs),
      BAIKAL_BENCH_UNSUPPORTED(execute, execution_result),
      BAIKAL_BENCH_UNSUPPORTED(trigger_batch_execution, ack),
      BAIKAL_BENCH_UNSUPPORTED(start_service, service_result),
      BAIKAL_BENCH_UNSUPPORTED(shutdown_service, ack),
      BAIKAL_BENCH_UNSUPPORTED(accept_file, ack),
      BAIKAL_BENCH_UNSUPPORTED(download_file, file_bytes),
      BAIKAL_BENCH_UNSUPPORTED(download_single, file_bytes),
      BAIKAL_BENCH_UNSUPPORTED(list_files, file_listing),
      BAIKAL_BENCH_UNSUPPORTED(get_commit_status, commit_state),
      BAIKAL_BENCH_UNSUPPORTED(commit, ack),
      BAIKAL_BENCH_UNSUPPORTED(push_image, ack),
      BAIKAL_BENCH_UNSUPPORTED(purge_images, purge_images_resp),
      BAIKAL_BENCH_UNSUPPORTED(release_port, ack),
      BAIKAL_BENCH_UNSUPPORTED(check_pulling, probe_result),
      BAIKAL_BENCH_UNSUPPORTED(check_creating, probe_result),
      BAIKAL_BENCH_UNSUPPORTED(check_running, probe_result),
  };
}

#undef BAIKAL_BENCH_UNSUPPORTED

} // namespace

agent_actor spawn_instant_agent(caf::actor_system& sys, agent_id id,
                                std::shared_ptr<arrival_log> log) {
  return sys.spawn(instant_agent, std::move(id), std::move(log));
}

} // namespace baikal::bench
