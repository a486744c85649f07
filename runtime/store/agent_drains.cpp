// The agent_drains table of the session store: which agents an operator drained, by whom and
// when. Apart from the agents table, which each registration of an agent rewrites.

#include <sqlite3.h>

#include "runtime/clock/wall_clock.hpp"
#include "runtime/store/session_store.hpp"
#include "runtime/store/sqlite_statement.hpp"

namespace baikal {

caf::error session_store::set_agent_drained(const agent_id& id, bool drained,
                                            const std::string& by) {
  if (!drained) {
    stmt s{*cache_, "DELETE FROM agent_drains WHERE agent_id = ?"};
    return s.bind(id).run();
  }
  // A second drain keeps the first one's author and time: that is when the agent left.
  stmt s{*cache_, "INSERT INTO agent_drains VALUES (?,?,?) ON CONFLICT(agent_id) DO NOTHING"};
  return s.bind(id).bind(by).bind(wall_clock_ms()).run();
}

caf::expected<std::vector<agent_id>> session_store::list_drained_agents() {
  stmt s{*cache_, "SELECT agent_id FROM agent_drains ORDER BY agent_id"};
  std::vector<agent_id> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW)
    out.push_back(s.text(0));
  if (rc != SQLITE_DONE)
    return s.failure();
  return out;
}

} // namespace baikal
