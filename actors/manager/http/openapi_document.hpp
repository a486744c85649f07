#pragma once

/// The OpenAPI document of the manager's HTTP API (docs/openapi.yaml, as the JSON
/// docs/openapi.json), built into the binary by cmake/embed_text.cmake: GET /v1/openapi.json
/// answers it.

#include <string_view>

namespace baikal {

/// The document's JSON text.
std::string_view openapi_document();

} // namespace baikal
