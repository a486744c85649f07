// Restarting a session's main kernel goes through its session actor: it knows the status (a
// terminating session is not restarted under its feet), the images the launcher resolved for
// it, and it records the new container, so the kernel comes back with the launcher's own
// creation config (the same BACKENDAI_* variables, hostname and network id).

#include "actors/manager/launch_plan.hpp"
#include "actors/manager/session_state.hpp"
#include "actors/supervision/guarded_promise.hpp"
#include "messages/errors.hpp"

namespace baikal {

namespace {

const kernel_binding* main_binding(const scheduled_session& spec) {
  for (auto& k : spec.kernels)
    if (k.role == cluster_role::main)
      return &k;
  return nullptr;
}

/// The restarted kernel runs in a new container: stored, as are its services.
void restarted(session_ptr self, const kernel_info& info) {
  store_write(self, repo::set_kernel_status{info.id, kernel_status::running, info.container_id});
  if (!info.service_ports.empty())
    store_write(self, repo::set_service_ports{self->state.spec().id, info.service_ports});
  touch(self);
}

} // namespace

caf::result<kernel_info> restart_main_kernel(session_ptr self) {
  auto& st = self->state;
  auto& spec = st.spec();
  if (st.status != session_status::running)
    return make_error(errc::conflict, "session " + spec.id + " is " + to_string(st.status) +
                                          "; only a RUNNING session's kernel can be restarted");
  // Asked to park and not gone yet: it stays (see on_sleep), and the front learns it is awake.
  if (st.dozing) {
    st.dozing = false;
    self->send(st.ctx->front, front::session_changed{spec.id, st.status});
  }
  auto* main = main_binding(spec);
  if (!main)
    return make_error(errc::runtime_error, "session " + spec.id + " has no main kernel");
  auto images = launch::resolve_images(spec, *st.images);
  if (!images)
    return std::move(images.error());
  auto image = images->find(main->id);
  if (image == images->end())
    return make_error(errc::runtime_error, "session " + spec.id +
                                               " has no image config for "
                                               "its main kernel");
  op::restart_kernel x{main->id, spec.id, image_ref{},
                       launch::make_kernel_creation_config(spec, *main, image->second)};
  auto promise = make_guarded_promise<kernel_info>(self);
  auto agent = main->agent;
  auto limit = st.ctx->session_start_timeout;
  // Until it is answered the session stays awake (park); then its idle clock starts again.
  ++st.restarts_outstanding;
  auto answer = [self, promise](caf::expected<kernel_info> outcome) mutable {
    --self->state.restarts_outstanding;
    if (outcome)
      restarted(self, *outcome);
    else
      touch(self);
    promise.deliver(std::move(outcome));
  };
  self->request(st.ctx->registry, st.ctx->phase_probe_after, reg::lookup_agents{{agent}})
      .then(
          [=](agent_directory& dir) mutable {
            auto handle = dir.find(agent);
            if (handle == dir.end())
              return answer(
                  make_error(errc::unavailable, "agent " + agent + " of session " + x.session +
                                                    " is not connected; try again when it is "
                                                    "back"));
            self->request(handle->second, limit, std::move(x))
                .then([=](kernel_info& info) mutable { answer(std::move(info)); },
                      [=](caf::error& err) mutable { answer(std::move(err)); });
          },
          [=](caf::error& err) mutable { answer(std::move(err)); });
  return promise;
}

} // namespace baikal
