#pragma once

/// Request bodies about storage folders: `POST /v1/folders` and the `mounts` of
/// `POST /v1/sessions`. Each answers invalid_argument naming the first bad field.

#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <rapidjson/document.h>

#include "messages/manager_interface.hpp"

namespace baikal {

/// `POST /v1/folders`: `{name}`, a valid folder name.
caf::expected<std::string> parse_folder_request(const std::string& body);

/// `mounts`: at most 16 `{"folder": NAME, "mode": "rw"|"ro"}` ("rw" when left out), each
/// folder named once. Whether the user has each folder is the manager's to check.
caf::expected<std::vector<folder_mount>> parse_mounts(const rapidjson::Value& value);

} // namespace baikal
