// Opening the session store (the connection's settings and the schema), closing it, and batches
// of writes. What each table holds is read and written in the files beside this one.

#include "runtime/store/session_store.hpp"

#include <mutex>

#include <sqlite3.h>

#include "messages/errors.hpp"
#include "runtime/store/sqlite_statement.hpp"

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
  if (auto err = stmt{*cache_, "BEGIN IMMEDIATE"}.run())
    return err;
  batch_open_ = true;
  return {};
}

caf::error session_store::commit_batch() {
  if (!batch_open_)
    return {};
  batch_open_ = false;
  return stmt{*cache_, "COMMIT"}.run();
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

} // namespace baikal
