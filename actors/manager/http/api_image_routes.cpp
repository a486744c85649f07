// The image catalogue: [[images]] of manager.toml as users may pick from it. The list is fixed
// when the manager starts, so the handler answers from the settings without asking the manager.

#include "actors/manager/http/api_handlers.hpp"
#include "actors/manager/http/image_catalogue.hpp"

namespace baikal::handlers {

void list_images(const call_ptr& call) {
  call->ok(render_image_catalogue(call->ctx->settings.images));
}

} // namespace baikal::handlers
