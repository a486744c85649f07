#pragma once

/// Turning `POST /v1/sessions` into a session the scheduler can place, as plain functions:
/// checking the request, resolving its image, and building the kernels (ids, roles, indexes,
/// hostnames, resources, uid/gid) before any agent is chosen.

#include <map>
#include <set>
#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/image_types.hpp"
#include "messages/manager_interface.hpp"

namespace baikal {

/// A random (version 4) UUID in its usual text form.
std::string new_uuid();

/// What is wrong with `req` (invalid_argument with a message saying what to change), or none.
caf::error validate(const session_request& req);

/// invalid_argument naming the first slot of `asked` that is not in `offered` (the slot names
/// the manager's agents have ever reported, with "cpu" and "mem" that every agent has): no
/// agent could ever run such a session.
caf::error check_slots_offered(const resource_slots& asked, const std::set<std::string>& offered);

/// The image config for `reference`: the configured one (by the reference users give, or by its
/// canonical form), else one made from the reference itself (registry from its host part, or
/// "index.docker.io"; no digest, so it is pulled only when absent; ":latest" when untagged).
image_config resolve_image(const std::string& reference,
                           const std::map<std::string, image_config>& configured);

/// The slots each kernel asks for: the request's, with cpu and mem defaulted when missing.
resource_slots kernel_slots(const session_request& req);

/// The session `req` describes, with fresh ids and kernels not yet bound to agents.
scheduled_session make_session(const session_request& req, const image_config& image,
                               const std::string& default_scaling_group);

} // namespace baikal
