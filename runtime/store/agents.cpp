// The agents table of the session store: each agent as the registry last wrote it, replaced
// whole on every write.

#include "runtime/store/session_store.hpp"
#include "runtime/store/sql_statement.hpp"
#include "runtime/store/store_rows.hpp"

namespace baikal {

caf::error session_store::upsert_agent(const agent_record& a) {
  return write([&] {
    stmt s{*db_, "INSERT INTO agents VALUES (?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                 "addr=excluded.addr, status=excluded.status, scaling_group=excluded.scaling_group,"
                 " capacity=excluded.capacity, last_heartbeat_ms=excluded.last_heartbeat_ms"};
    return s.bind(a.id)
        .bind(a.addr)
        .bind(to_string(a.status))
        .bind(a.scaling_group)
        .bind_blob(encode(a.capacity))
        .bind(a.last_heartbeat_ms)
        .run();
  });
}

caf::expected<std::vector<agent_record>> session_store::list_agents() {
  stmt s{*db_, "SELECT id, addr, status, scaling_group, capacity, last_heartbeat_ms FROM agents "
               "ORDER BY id"};
  std::vector<agent_record> out;
  step_result rc;
  while ((rc = s.step()) == step_result::row) {
    auto a = agent_row(s);
    if (!a)
      return a.error();
    out.push_back(std::move(*a));
  }
  if (rc != step_result::done)
    return s.failure();
  return out;
}

} // namespace baikal
