#pragma once

/// Bounds on what one API request may ask the system to allocate or do. Each is a setting of
/// manager.toml's [api] table (deploy/manager.toml lists them with their defaults); a request
/// over one answers invalid_argument (400), or 413 for a size.

#include <cstddef>
#include <cstdint>

#include "runtime/checks/field_checks.hpp"

namespace baikal {

struct api_limits {
  /// api.max-cluster-size: kernels one session may ask for.
  uint32_t max_cluster_size = 64;
  /// api.max-name-length: session names, scaling groups, network ids, service names.
  size_t max_name_length = 64;
  /// api.max-code-bytes: the code of one execute and the text of one completion.
  size_t max_code_bytes = 1024 * 1024;
  /// api.max-environ-entries, max-environ-key-bytes, max-environ-value-bytes: a session's
  /// environ; commit labels and execute, completion and service options have the same bounds.
  checks::map_limits environ{256, 256, 32 * 1024};
  /// api.max-purge-images: images one purge may name.
  size_t max_purge_images = 256;
  /// The `path` of the file routes (PATH_MAX).
  size_t max_path_bytes = 4096;
  /// api.max-event-streams-per-user: GET /v1/events streams one user may hold open.
  uint32_t max_event_streams_per_user = 8;
};

} // namespace baikal
