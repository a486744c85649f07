// The session store's writes of sessions and their kernels: a session inserted with its first
// transition, then bound, moved from status to status (each move kept in its history), its
// network, error, services and batch result recorded. An update of a session, kernel or batch
// session that is not in the store fails with not_found.

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "messages/errors.hpp"
#include "runtime/clock/wall_clock.hpp"
#include "runtime/store/session_store.hpp"
#include "runtime/store/sql_statement.hpp"
#include "runtime/store/store_rows.hpp"

namespace baikal {

namespace {

constexpr size_t most_history_rows = 64;

/// How many of `left` history rows the next INSERT takes: a power of two, so that a few
/// prepared statements serve every count.
size_t history_chunk(size_t left) {
  size_t n = 1;
  while (n * 2 <= left && n * 2 <= most_history_rows)
    n *= 2;
  return n;
}

/// The INSERT of `rows` history rows (a power of two up to most_history_rows).
const char* history_insert(size_t rows) {
  static const auto texts = [] {
    std::vector<std::string> out;
    for (size_t n = 1; n <= most_history_rows; n *= 2) {
      std::string sql =
          "INSERT INTO session_status_history (session_id, status, reason, at_ms) VALUES (?,?,?,?)";
      for (size_t i = 1; i < n; ++i)
        sql += ", (?,?,?,?)";
      out.push_back(std::move(sql));
    }
    return out;
  }();
  size_t i = 0;
  while ((size_t{1} << i) < rows)
    ++i;
  return texts[i].c_str();
}

} // namespace

caf::error session_store::insert_session(const scheduled_session& x, session_status initial,
                                         const std::string& reason) {
  auto status = to_string(initial);
  // The kernels start in the status of the same name.
  auto kernel_status = to_string(kernel_status_of(initial));
  // The session's own row goes first: a duplicate id fails there, alone. Its kernels' ids are
  // the manager's own random ones, and nothing else here has a constraint to fail.
  return write_checked_first([&]() -> caf::error {
    auto at = wall_clock_ms();
    stmt s{*db_, "INSERT INTO sessions (id, name, user_uuid, status, created_at_ms, spec) "
                 "VALUES (?,?,?,?,?,?)"};
    if (auto err = s.bind(x.id)
                       .bind(x.name)
                       .bind(x.user_uuid)
                       .bind(status)
                       .bind(at)
                       .bind_blob(encode(x))
                       .run())
      return err;
    for (auto& k : x.kernels) {
      stmt ks{*db_, "INSERT INTO kernels (id, session_id, agent, cluster_role, cluster_idx, "
                    "cluster_hostname, status) VALUES (?,?,?,?,?,?,?)"};
      if (auto err = ks.bind(k.id)
                         .bind(x.id)
                         .bind(k.agent)
                         .bind(to_string(k.role))
                         .bind(static_cast<int64_t>(k.cluster_idx))
                         .bind(k.cluster_hostname)
                         .bind(kernel_status)
                         .run())
        return err;
    }
    if (x.type == session_type::batch) {
      stmt b{*db_, "INSERT INTO batch_sessions (session_id, startup_command, batch_timeout_ms) "
                   "VALUES (?,?,?)"};
      auto timeout_ms = static_cast<int64_t>(x.batch_timeout * 1000);
      if (auto err = b.bind(x.id).bind(x.startup_command).bind(timeout_ms).run())
        return err;
    }
    return record_history(x.id, {status_change{initial, reason, at}});
  });
}

caf::error session_store::bind_session(const scheduled_session& x) {
  return write_checked_first([&]() -> caf::error {
    stmt s{*db_, "UPDATE sessions SET spec = ? WHERE id = ?"};
    if (auto err = s.bind_blob(encode(x)).bind(x.id).run())
      return err;
    if (auto err = changed_one("session", x.id))
      return err;
    return record_agents(x);
  });
}

caf::error session_store::record_agents(const scheduled_session& x) {
  for (auto& k : x.kernels) {
    stmt ks{*db_, "UPDATE kernels SET agent = ? WHERE id = ? AND session_id = ?"};
    if (auto err = ks.bind(k.agent).bind(k.id).bind(x.id).run())
      return err;
  }
  return caf::error{};
}

caf::error session_store::set_session_status(const session_id& id, session_status to,
                                             const std::string& reason) {
  return move_session(id, {status_change{to, reason, wall_clock_ms()}}, nullptr);
}

caf::error session_store::move_session(const session_id& id,
                                       const std::vector<status_change>& moves,
                                       const scheduled_session* bound) {
  if (moves.empty())
    return make_error(errc::invalid_argument, "a move of session " + id + " without a status");
  auto status = to_string(moves.back().status);
  return write_checked_first([&]() -> caf::error {
    if (bound) {
      stmt s{*db_, "UPDATE sessions SET spec = ?, status = ? WHERE id = ?"};
      if (auto err = s.bind_blob(encode(*bound)).bind(status).bind(id).run())
        return err;
    } else {
      stmt s{*db_, "UPDATE sessions SET status = ? WHERE id = ?"};
      if (auto err = s.bind(status).bind(id).run())
        return err;
    }
    if (auto err = changed_one("session", id))
      return err;
    if (bound)
      if (auto err = record_agents(*bound))
        return err;
    return record_history(id, moves);
  });
}

caf::error session_store::record_history(const session_id& id,
                                         const std::vector<status_change>& moves) {
  std::vector<held_history_row> rows;
  rows.reserve(moves.size());
  for (auto& m : moves)
    rows.push_back({id, m});
  if (!batch_open_ || db_->dialect() != sql_dialect::sqlite)
    return write_history(rows);
  held_history_.insert(held_history_.end(), std::make_move_iterator(rows.begin()),
                       std::make_move_iterator(rows.end()));
  return caf::error{};
}

caf::error session_store::write_history(const std::vector<held_history_row>& rows) {
  // Rows of one VALUES list are numbered in their order, so the history keeps the writes' order.
  for (size_t i = 0; i < rows.size();) {
    auto n = history_chunk(rows.size() - i);
    stmt h{*db_, history_insert(n)};
    for (size_t end = i + n; i < end; ++i) {
      auto& r = rows[i];
      h.bind(r.session).bind(to_string(r.change.status)).bind(r.change.reason).bind(r.change.at_ms);
    }
    if (auto err = h.run())
      return err;
  }
  return caf::error{};
}

caf::error session_store::write_held_history() {
  auto rows = std::move(held_history_);
  held_history_.clear();
  auto err = write_history(rows);
  if (err) // some rows may be written and the rest are gone: the batch must not commit
    held_history_failure_ = err;
  return err;
}

caf::error session_store::update_session_network_id(const session_id& id,
                                                    const std::string& network_id) {
  return write([&]() -> caf::error {
    stmt s{*db_, "UPDATE sessions SET network_id = ? WHERE id = ?"};
    if (auto err = s.bind(network_id).bind(id).run())
      return err;
    return changed_one("session", id);
  });
}

caf::error session_store::update_session_error_info(const session_id& id,
                                                    const std::string& error_info) {
  return write([&]() -> caf::error {
    stmt s{*db_, "UPDATE sessions SET status_data = ? WHERE id = ?"};
    if (auto err = s.bind(error_info).bind(id).run())
      return err;
    return changed_one("session", id);
  });
}

caf::error session_store::set_batch_result(const session_id& id,
                                           const caf::optional<int32_t>& exit_code,
                                           const std::string& output) {
  return write([&]() -> caf::error {
    stmt s{*db_, "UPDATE batch_sessions SET ended = 1, has_exit_code = ?, exit_code = ?, "
                 "output = ? WHERE session_id = ?"};
    if (auto err = s.bind(int64_t{exit_code ? 1 : 0})
                       .bind(int64_t{exit_code ? *exit_code : 0})
                       .bind_blob(std::vector<char>(output.begin(), output.end()))
                       .bind(id)
                       .run())
      return err;
    return changed_one("batch session", id);
  });
}

caf::error session_store::set_service_ports(const session_id& id,
                                            const std::vector<service_port>& ports) {
  return write([&] {
    stmt s{*db_, "INSERT INTO session_service_ports (session_id, ports) VALUES (?,?) "
                 "ON CONFLICT(session_id) DO UPDATE SET ports = excluded.ports"};
    return s.bind(id).bind_blob(encode(ports)).run();
  });
}

caf::error session_store::set_kernel_status(const kernel_id& id, kernel_status status,
                                            const std::string& container_id) {
  return write([&]() -> caf::error {
    stmt s{*db_, "UPDATE kernels SET status = ?, "
                 "container_id = CASE WHEN ?2 = '' THEN container_id ELSE ?2 END WHERE id = ?3"};
    if (auto err = s.bind(to_string(status)).bind(container_id).bind(id).run())
      return err;
    return changed_one("kernel", id);
  });
}

} // namespace baikal
