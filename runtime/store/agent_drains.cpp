// The agent_drains table of the session store: which agents an operator drained, by whom and
// when. Apart from the agents table, which each registration of an agent rewrites.

#include "runtime/clock/wall_clock.hpp"
#include "runtime/store/session_store.hpp"
#include "runtime/store/sql_statement.hpp"

namespace baikal {

caf::error session_store::set_agent_drained(const agent_id& id, bool drained,
                                            const std::string& by) {
  return write([&] {
    if (!drained) {
      stmt s{*db_, "DELETE FROM agent_drains WHERE agent_id = ?"};
      return s.bind(id).run();
    }
    // A second drain keeps the first one's author and time: that is when the agent left.
    stmt s{*db_, "INSERT INTO agent_drains VALUES (?,?,?) ON CONFLICT(agent_id) DO NOTHING"};
    return s.bind(id).bind(by).bind(wall_clock_ms()).run();
  });
}

caf::expected<std::vector<agent_id>> session_store::list_drained_agents() {
  stmt s{*db_, "SELECT agent_id FROM agent_drains ORDER BY agent_id"};
  std::vector<agent_id> out;
  step_result rc;
  while ((rc = s.step()) == step_result::row)
    out.push_back(s.text(0));
  if (rc != step_result::done)
    return s.failure();
  return out;
}

} // namespace baikal
