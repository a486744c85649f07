// The session store's reads: one session with its kernels, services and batch fields, the
// sessions of everyone or of one user (a page at a time), a session's status history and a batch
// session's output.

#include <limits>

#include "messages/errors.hpp"
#include "runtime/store/session_store.hpp"
#include "runtime/store/sql_statement.hpp"
#include "runtime/store/store_rows.hpp"

namespace baikal {

caf::expected<session_record> session_store::get_session(const session_id& id) {
  if (auto err = write_held_history())
    return err;
  // The reason of the last transition is the history's last row (found by its index).
  stmt s{*db_, "SELECT status, status_data, network_id, created_at_ms, spec, "
               "(SELECT reason FROM session_status_history h WHERE h.session_id = sessions.id "
               "ORDER BY seq DESC LIMIT 1) FROM sessions WHERE id = ?"};
  s.bind(id);
  auto rc = s.step();
  if (rc == step_result::done)
    return make_error(errc::not_found, "no session " + id + " in the store");
  if (rc != step_result::row)
    return s.failure();
  auto status = session_status_column(s, 0);
  if (!status)
    return status.error();
  session_record out;
  out.status = *status;
  out.status_data = s.text(1);
  out.network_id = s.text(2);
  out.created_at_ms = s.integer(3);
  if (auto err = decode(s.blob(4), out.spec))
    return err;
  out.status_reason = s.text(5);
  if (out.spec.type == session_type::batch)
    read_batch_fields(out);
  if (auto err = read_service_ports(out))
    return err;
  auto kernels = kernels_of(id);
  if (!kernels)
    return std::move(kernels.error());
  out.kernels = std::move(*kernels);
  return out;
}

caf::expected<std::vector<session_record>>
session_store::records_of(const std::vector<session_id>& ids) {
  std::vector<session_record> out;
  out.reserve(ids.size());
  for (auto& id : ids) {
    auto rec = get_session(id);
    if (!rec)
      return std::move(rec.error());
    out.push_back(std::move(*rec));
  }
  return out;
}

caf::expected<std::vector<session_record>> session_store::sessions_by(const char* sql,
                                                                      const std::string* arg) {
  std::vector<session_id> ids;
  {
    stmt s{*db_, sql};
    if (arg)
      s.bind(*arg);
    while (s.step() == step_result::row)
      ids.push_back(s.text(0));
  }
  return records_of(ids);
}

caf::expected<std::vector<session_record>> session_store::list_sessions() {
  return sessions_by("SELECT id FROM sessions ORDER BY created_at_ms, id", nullptr);
}

caf::expected<std::vector<session_record>>
session_store::list_sessions_of(const user_id& owner, const session_page& page) {
  int64_t after_ms = -1;
  if (!page.after.empty()) {
    stmt a{*db_, "SELECT created_at_ms FROM sessions WHERE id = ? AND user_uuid = ?"};
    a.bind(page.after).bind(owner);
    if (a.step() != step_result::row)
      return make_error(errc::not_found, "after: you have no session " + page.after);
    after_ms = a.integer(0);
  }
  // Row values order by creation time, then id, as the unpaged listing does.
  std::vector<session_id> ids;
  {
    stmt s{*db_, "SELECT id FROM sessions WHERE user_uuid = ? AND (? = 0 OR status = ?) AND "
                 "(created_at_ms, id) > (?, ?) ORDER BY created_at_ms, id LIMIT ?"};
    s.bind(owner)
        .bind(int64_t{page.by_status ? 1 : 0})
        .bind(to_string(page.status))
        .bind(after_ms)
        .bind(page.after)
        .bind(page.limit == 0 ? std::numeric_limits<int64_t>::max() : int64_t{page.limit});
    while (s.step() == step_result::row)
      ids.push_back(s.text(0));
  }
  return records_of(ids);
}

caf::expected<std::vector<kernel_record>> session_store::kernels_of(const session_id& id) {
  stmt s{*db_, "SELECT id, agent, cluster_role, cluster_idx, cluster_hostname, status, "
               "container_id FROM kernels WHERE session_id = ? ORDER BY cluster_role, cluster_idx"};
  s.bind(id);
  std::vector<kernel_record> out;
  step_result rc;
  while ((rc = s.step()) == step_result::row) {
    auto k = kernel_row(s);
    if (!k)
      return k.error();
    out.push_back(std::move(*k));
  }
  if (rc != step_result::done)
    return s.failure();
  return out;
}

void session_store::read_batch_fields(session_record& rec) {
  stmt s{*db_, "SELECT startup_command, batch_timeout_ms, ended, has_exit_code, exit_code "
               "FROM batch_sessions WHERE session_id = ?"};
  s.bind(rec.spec.id);
  if (s.step() != step_result::row)
    return;
  rec.spec.startup_command = s.text(0);
  rec.spec.batch_timeout = static_cast<double>(s.integer(1)) / 1000;
  if (s.integer(2) != 0 && s.integer(3) != 0)
    rec.batch_exit_code = static_cast<int32_t>(s.integer(4));
}

caf::error session_store::read_service_ports(session_record& rec) {
  stmt s{*db_, "SELECT ports FROM session_service_ports WHERE session_id = ?"};
  s.bind(rec.spec.id);
  if (s.step() != step_result::row)
    return {};
  return decode(s.blob(0), rec.service_ports);
}

caf::expected<std::vector<status_change>> session_store::status_history(const session_id& id) {
  if (auto err = write_held_history())
    return err;
  stmt s{*db_, "SELECT status, reason, at_ms FROM session_status_history WHERE session_id = ? "
               "ORDER BY seq"};
  s.bind(id);
  std::vector<status_change> out;
  step_result rc;
  while ((rc = s.step()) == step_result::row) {
    auto change = status_change_row(s);
    if (!change)
      return change.error();
    out.push_back(std::move(*change));
  }
  if (rc != step_result::done)
    return s.failure();
  return out;
}

caf::expected<std::string> session_store::batch_output(const session_id& id) {
  stmt s{*db_, "SELECT output FROM batch_sessions WHERE session_id = ? AND ended = 1"};
  s.bind(id);
  auto rc = s.step();
  if (rc == step_result::done)
    return make_error(errc::not_found, "session " + id + " is no ended batch session");
  if (rc != step_result::row)
    return s.failure();
  auto bytes = s.blob(0); // an empty output is stored as NULL
  return std::string(bytes.begin(), bytes.end());
}

} // namespace baikal
