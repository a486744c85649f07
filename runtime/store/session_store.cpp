#include "runtime/store/session_store.hpp"

#include <mutex>

#include <sqlite3.h>

#include "messages/errors.hpp"
#include "runtime/clock/wall_clock.hpp"
#include "runtime/store/sqlite_statement.hpp"
#include "runtime/store/store_rows.hpp"

namespace baikal {

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS agents (
  id TEXT PRIMARY KEY, addr TEXT NOT NULL, status TEXT NOT NULL, scaling_group TEXT NOT NULL,
  capacity BLOB, last_heartbeat_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, user_uuid TEXT NOT NULL, status TEXT NOT NULL,
  status_data TEXT NOT NULL DEFAULT '', network_id TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL, spec BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS kernels (
  id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id), agent TEXT NOT NULL,
  cluster_role TEXT NOT NULL, cluster_idx INTEGER NOT NULL, cluster_hostname TEXT NOT NULL,
  status TEXT NOT NULL, container_id TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS kernels_by_session ON kernels(session_id);
CREATE TABLE IF NOT EXISTS session_status_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, status TEXT NOT NULL,
  reason TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS history_by_session ON session_status_history(session_id, seq);
CREATE TABLE IF NOT EXISTS session_service_ports (
  session_id TEXT PRIMARY KEY REFERENCES sessions(id), ports BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS batch_sessions (
  session_id TEXT PRIMARY KEY REFERENCES sessions(id), startup_command TEXT NOT NULL,
  batch_timeout_ms INTEGER NOT NULL, ended INTEGER NOT NULL DEFAULT 0,
  has_exit_code INTEGER NOT NULL DEFAULT 0, exit_code INTEGER NOT NULL DEFAULT 0,
  output BLOB);
)sql";

/// Kept apart from `agents`, which a registration rewrites: a drain is the operator's decision.
constexpr const char* agent_drains_schema = R"sql(
CREATE TABLE IF NOT EXISTS agent_drains (
  agent_id TEXT PRIMARY KEY, drained_by TEXT NOT NULL, drained_at_ms INTEGER NOT NULL);
)sql";

caf::error changed_one(sqlite3* db, const std::string& what, const session_id& id) {
  if (sqlite3_changes(db) == 0)
    return make_error(errc::not_found, "no " + what + " " + id + " in the store");
  return {};
}

} // namespace

session_store::session_store(sqlite3* db)
    : db_(db), cache_(std::make_unique<statement_cache>(db)) {}

session_store::~session_store() {
  // Nothing acknowledged is lost when the store closes: an open batch is committed.
  static_cast<void>(commit_batch());
  cache_.reset();
  sqlite3_close(db_);
}

caf::error session_store::begin_batch() {
  if (batch_open_)
    return {};
  if (auto err = exec("BEGIN IMMEDIATE"))
    return err;
  batch_open_ = true;
  return {};
}

caf::error session_store::commit_batch() {
  if (!batch_open_)
    return {};
  batch_open_ = false;
  return exec("COMMIT");
}

namespace {

/// SQLite counts every allocation under a global mutex unless told not to, and nothing here reads
/// the counts. It takes the setting only before its first use; later calls are refused, harmlessly.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

} // namespace

caf::expected<std::unique_ptr<session_store>> session_store::open(const std::string& path) {
  configure_sqlite_once();
  sqlite3* db = nullptr;
  // No mutex per connection: each store is used by one actor, one message at a time.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return make_error(errc::runtime_error, "cannot open the store " + path + ": " + msg);
  }
  std::unique_ptr<session_store> out{new session_store(db)};
  // busy_timeout first: another connection (a store still closing) may hold the lock.
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes.
  for (auto sql :
       {"PRAGMA busy_timeout=5000", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
        "PRAGMA foreign_keys=ON", schema, agent_drains_schema})
    if (auto err = out->exec(sql))
      return err;
  return out;
}

caf::error session_store::exec(const std::string& sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) == SQLITE_OK)
    return {};
  std::string text = msg ? msg : "unknown error";
  sqlite3_free(msg);
  return make_error(errc::runtime_error, "SQLite: " + text);
}

caf::error session_store::upsert_agent(const agent_record& a) {
  stmt s{*cache_,
         "INSERT INTO agents VALUES (?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
         "addr=excluded.addr, status=excluded.status, scaling_group=excluded.scaling_group,"
         " capacity=excluded.capacity, last_heartbeat_ms=excluded.last_heartbeat_ms"};
  return s.bind(a.id)
      .bind(a.addr)
      .bind(to_string(a.status))
      .bind(a.scaling_group)
      .bind_blob(encode(a.capacity))
      .bind(a.last_heartbeat_ms)
      .run();
}

caf::expected<std::vector<agent_record>> session_store::list_agents() {
  stmt s{*cache_, "SELECT id, addr, status, scaling_group, capacity, last_heartbeat_ms FROM agents "
                  "ORDER BY id"};
  std::vector<agent_record> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    auto a = agent_row(s);
    if (!a)
      return a.error();
    out.push_back(std::move(*a));
  }
  if (rc != SQLITE_DONE)
    return s.failure();
  return out;
}

caf::error session_store::insert_session(const scheduled_session& x, session_status initial,
                                         const std::string& reason) {
  auto status = to_string(initial);
  // The kernels start in the status of the same name.
  auto kernel_status = to_string(kernel_status_of(initial));
  return transaction([&]() -> caf::error {
    auto at = wall_clock_ms();
    stmt s{*cache_, "INSERT INTO sessions (id, name, user_uuid, status, created_at_ms, spec) "
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
      stmt ks{*cache_, "INSERT INTO kernels (id, session_id, agent, cluster_role, cluster_idx, "
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
      stmt b{*cache_, "INSERT INTO batch_sessions (session_id, startup_command, batch_timeout_ms) "
                      "VALUES (?,?,?)"};
      auto timeout_ms = static_cast<int64_t>(x.batch_timeout * 1000);
      if (auto err = b.bind(x.id).bind(x.startup_command).bind(timeout_ms).run())
        return err;
    }
    stmt h{*cache_, "INSERT INTO session_status_history (session_id, status, reason, at_ms) "
                    "VALUES (?,?,?,?)"};
    return h.bind(x.id).bind(status).bind(reason).bind(at).run();
  });
}

void session_store::read_batch_fields(session_record& rec) {
  stmt s{*cache_, "SELECT startup_command, batch_timeout_ms, ended, has_exit_code, exit_code "
                  "FROM batch_sessions WHERE session_id = ?"};
  s.bind(rec.spec.id);
  if (s.step() != SQLITE_ROW)
    return;
  rec.spec.startup_command = s.text(0);
  rec.spec.batch_timeout = static_cast<double>(s.integer(1)) / 1000;
  if (s.integer(2) != 0 && s.integer(3) != 0)
    rec.batch_exit_code = static_cast<int32_t>(s.integer(4));
}

caf::error session_store::set_batch_result(const session_id& id,
                                           const caf::optional<int32_t>& exit_code,
                                           const std::string& output) {
  stmt s{*cache_, "UPDATE batch_sessions SET ended = 1, has_exit_code = ?, exit_code = ?, "
                  "output = ? WHERE session_id = ?"};
  if (auto err = s.bind(int64_t{exit_code ? 1 : 0})
                     .bind(int64_t{exit_code ? *exit_code : 0})
                     .bind_blob(std::vector<char>(output.begin(), output.end()))
                     .bind(id)
                     .run())
    return err;
  return changed_one(db_, "batch session", id);
}

caf::error session_store::set_service_ports(const session_id& id,
                                            const std::vector<service_port>& ports) {
  stmt s{*cache_, "INSERT OR REPLACE INTO session_service_ports (session_id, ports) VALUES (?,?)"};
  return s.bind(id).bind_blob(encode(ports)).run();
}

caf::error session_store::read_service_ports(session_record& rec) {
  stmt s{*cache_, "SELECT ports FROM session_service_ports WHERE session_id = ?"};
  s.bind(rec.spec.id);
  if (s.step() != SQLITE_ROW)
    return {};
  return decode(s.blob(0), rec.service_ports);
}

caf::expected<std::string> session_store::batch_output(const session_id& id) {
  stmt s{*cache_, "SELECT output FROM batch_sessions WHERE session_id = ? AND ended = 1"};
  s.bind(id);
  int rc = s.step();
  if (rc == SQLITE_DONE)
    return make_error(errc::not_found, "session " + id + " is no ended batch session");
  if (rc != SQLITE_ROW)
    return s.failure();
  auto bytes = s.blob(0); // an empty output is stored as NULL
  return std::string(bytes.begin(), bytes.end());
}

caf::expected<std::vector<kernel_record>> session_store::kernels_of(const session_id& id) {
  stmt s{*cache_,
         "SELECT id, agent, cluster_role, cluster_idx, cluster_hostname, status, "
         "container_id FROM kernels WHERE session_id = ? ORDER BY cluster_role, cluster_idx"};
  s.bind(id);
  std::vector<kernel_record> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    auto k = kernel_row(s);
    if (!k)
      return k.error();
    out.push_back(std::move(*k));
  }
  if (rc != SQLITE_DONE)
    return s.failure();
  return out;
}

caf::expected<session_record> session_store::get_session(const session_id& id) {
  // The reason of the last transition is the history's last row (found by its index).
  stmt s{*cache_, "SELECT status, status_data, network_id, created_at_ms, spec, "
                  "(SELECT reason FROM session_status_history h WHERE h.session_id = sessions.id "
                  "ORDER BY seq DESC LIMIT 1) FROM sessions WHERE id = ?"};
  s.bind(id);
  int rc = s.step();
  if (rc == SQLITE_DONE)
    return make_error(errc::not_found, "no session " + id + " in the store");
  if (rc != SQLITE_ROW)
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
    stmt s{*cache_, sql};
    if (arg)
      s.bind(*arg);
    while (s.step() == SQLITE_ROW)
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
    stmt a{*cache_, "SELECT created_at_ms FROM sessions WHERE id = ? AND user_uuid = ?"};
    a.bind(page.after).bind(owner);
    if (a.step() != SQLITE_ROW)
      return make_error(errc::not_found, "after: you have no session " + page.after);
    after_ms = a.integer(0);
  }
  // Row values order by creation time, then id, as the unpaged listing does.
  std::vector<session_id> ids;
  {
    stmt s{*cache_, "SELECT id FROM sessions WHERE user_uuid = ? AND (? = 0 OR status = ?) AND "
                    "(created_at_ms, id) > (?, ?) ORDER BY created_at_ms, id LIMIT ?"};
    s.bind(owner)
        .bind(int64_t{page.by_status ? 1 : 0})
        .bind(to_string(page.status))
        .bind(after_ms)
        .bind(page.after)
        .bind(page.limit == 0 ? int64_t{-1} : int64_t{page.limit});
    while (s.step() == SQLITE_ROW)
      ids.push_back(s.text(0));
  }
  return records_of(ids);
}

template <class F> caf::error session_store::transaction(F body) {
  // Inside a batch a savepoint keeps the write all-or-nothing without ending the batch.
  if (auto err = exec(batch_open_ ? "SAVEPOINT write" : "BEGIN IMMEDIATE"))
    return err;
  if (auto err = body()) {
    exec(batch_open_ ? "ROLLBACK TO write; RELEASE write" : "ROLLBACK");
    return err;
  }
  return exec(batch_open_ ? "RELEASE write" : "COMMIT");
}

caf::error session_store::bind_session(const scheduled_session& x) {
  return transaction([&]() -> caf::error {
    stmt s{*cache_, "UPDATE sessions SET spec = ? WHERE id = ?"};
    if (auto err = s.bind_blob(encode(x)).bind(x.id).run())
      return err;
    if (auto err = changed_one(db_, "session", x.id))
      return err;
    for (auto& k : x.kernels) {
      stmt ks{*cache_, "UPDATE kernels SET agent = ? WHERE id = ? AND session_id = ?"};
      if (auto err = ks.bind(k.agent).bind(k.id).bind(x.id).run())
        return err;
    }
    return caf::error{};
  });
}

caf::error session_store::set_session_status(const session_id& id, session_status to,
                                             const std::string& reason) {
  auto status = to_string(to);
  return transaction([&]() -> caf::error {
    stmt s{*cache_, "UPDATE sessions SET status = ? WHERE id = ?"};
    if (auto err = s.bind(status).bind(id).run())
      return err;
    if (auto err = changed_one(db_, "session", id))
      return err;
    stmt h{*cache_, "INSERT INTO session_status_history (session_id, status, reason, at_ms) "
                    "VALUES (?,?,?,?)"};
    return h.bind(id).bind(status).bind(reason).bind(wall_clock_ms()).run();
  });
}

caf::expected<std::vector<status_change>> session_store::status_history(const session_id& id) {
  stmt s{*cache_, "SELECT status, reason, at_ms FROM session_status_history WHERE session_id = ? "
                  "ORDER BY seq"};
  s.bind(id);
  std::vector<status_change> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    auto change = status_change_row(s);
    if (!change)
      return change.error();
    out.push_back(std::move(*change));
  }
  if (rc != SQLITE_DONE)
    return s.failure();
  return out;
}

caf::error session_store::update_session_network_id(const session_id& id,
                                                    const std::string& network_id) {
  stmt s{*cache_, "UPDATE sessions SET network_id = ? WHERE id = ?"};
  if (auto err = s.bind(network_id).bind(id).run())
    return err;
  return changed_one(db_, "session", id);
}

caf::error session_store::update_session_error_info(const session_id& id,
                                                    const std::string& error_info) {
  stmt s{*cache_, "UPDATE sessions SET status_data = ? WHERE id = ?"};
  if (auto err = s.bind(error_info).bind(id).run())
    return err;
  return changed_one(db_, "session", id);
}

caf::error session_store::set_kernel_status(const kernel_id& id, kernel_status status,
                                            const std::string& container_id) {
  stmt s{*cache_, "UPDATE kernels SET status = ?, "
                  "container_id = CASE WHEN ?2 = '' THEN container_id ELSE ?2 END WHERE id = ?3"};
  if (auto err = s.bind(to_string(status)).bind(container_id).bind(id).run())
    return err;
  return changed_one(db_, "kernel", id);
}

} // namespace baikal
