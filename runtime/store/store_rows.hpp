#pragma once

/// How records become SQLite values and back: statuses and roles as their names, values without
/// a column of their own in CAF's binary format. A name the store does not know reads as an
/// error, never as a default.

#include <string>
#include <vector>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/expected.hpp>

#include "messages/errors.hpp"
#include "messages/session_records.hpp"
#include "runtime/store/sql_statement.hpp"

namespace baikal {

// Kept in CAF's binary format: the same inspect() that carries them between nodes, so a new
// field needs no schema change.
template <class T> std::vector<char> encode(T value) {
  std::vector<char> buf;
  caf::binary_serializer sink{static_cast<caf::execution_unit*>(nullptr), buf};
  static_cast<void>(sink(value));
  return buf;
}

template <class T> caf::error decode(const std::vector<char>& buf, T& out) {
  caf::binary_deserializer source{static_cast<caf::execution_unit*>(nullptr), buf};
  if (auto err = source(out))
    return make_error(errc::runtime_error, "the store holds a record it cannot read");
  return {};
}

/// The agent of a row of `SELECT id, addr, status, scaling_group, capacity, last_heartbeat_ms`.
caf::expected<agent_record> agent_row(const stmt& s);

/// The kernel of a row of `SELECT id, agent, cluster_role, cluster_idx, cluster_hostname,
/// status, container_id`.
caf::expected<kernel_record> kernel_row(const stmt& s);

/// The transition of a row of `SELECT status, reason, at_ms`.
caf::expected<status_change> status_change_row(const stmt& s);

/// The session status in column `col`.
caf::expected<session_status> session_status_column(const stmt& s, int col);

} // namespace baikal
