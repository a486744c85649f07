#pragma once

/// Storage folders and session mounts as the HTTP API writes them.

#include <string>
#include <string_view>
#include <vector>

#include "messages/kernel_types.hpp"
#include "messages/manager_interface.hpp"
#include "runtime/json/json_writer.hpp"

namespace baikal::json {

/// `{"name": NAME}`.
std::string folder_json(const folder_info& folder);

/// `{"folders": [{"name"}, ...]}`.
std::string folders_json(const std::vector<folder_info>& folders);

/// `key: [{"folder", "mode", "target"}, ...]`: a session's mounts as its owner named them (the
/// host path stays the manager's).
void mounts_field(writer& w, std::string_view key, const std::vector<mount_spec>& mounts);

} // namespace baikal::json
