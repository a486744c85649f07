// Opening the session store (the connection's settings and the schema), closing it, and batches
// of writes. What each table holds is read and written in the files beside this one.

#include "runtime/store/session_store.hpp"

#include <utility>

#include "messages/errors.hpp"
#include "runtime/store/postgres_connection.hpp"
#include "runtime/store/sql_statement.hpp"
#include "runtime/store/sqlite_connection.hpp"

namespace baikal {

namespace {

/// The history's seq is a plain INTEGER PRIMARY KEY: SQLite numbers each row one above the
/// highest, and no history row is ever deleted, so seq orders them as AUTOINCREMENT did,
/// without its write to sqlite_sequence on every insert (a third of the insert's cost; a store
/// made before keeps its AUTOINCREMENT, which reads and writes the same).
constexpr const char* sqlite_schema = R"sql(
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
  seq INTEGER PRIMARY KEY, session_id TEXT NOT NULL, status TEXT NOT NULL,
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

/// The same tables on PostgreSQL: integers as BIGINT (read back as 8 bytes), blobs as BYTEA, and
/// ids compared byte by byte (COLLATE "C") so that lists come in SQLite's order.
constexpr const char* postgres_schema = R"sql(
CREATE TABLE IF NOT EXISTS agents (
  id TEXT COLLATE "C" PRIMARY KEY, addr TEXT NOT NULL, status TEXT NOT NULL,
  scaling_group TEXT NOT NULL, capacity BYTEA, last_heartbeat_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT COLLATE "C" PRIMARY KEY, name TEXT NOT NULL, user_uuid TEXT NOT NULL,
  status TEXT NOT NULL, status_data TEXT NOT NULL DEFAULT '',
  network_id TEXT NOT NULL DEFAULT '', created_at_ms BIGINT NOT NULL, spec BYTEA NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user_uuid, created_at_ms, id);
CREATE TABLE IF NOT EXISTS kernels (
  id TEXT COLLATE "C" PRIMARY KEY, session_id TEXT COLLATE "C" NOT NULL REFERENCES sessions(id),
  agent TEXT NOT NULL, cluster_role TEXT COLLATE "C" NOT NULL, cluster_idx BIGINT NOT NULL,
  cluster_hostname TEXT NOT NULL, status TEXT NOT NULL, container_id TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS kernels_by_session ON kernels(session_id);
CREATE TABLE IF NOT EXISTS session_status_history (
  seq BIGSERIAL PRIMARY KEY, session_id TEXT COLLATE "C" NOT NULL, status TEXT NOT NULL,
  reason TEXT NOT NULL, at_ms BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS history_by_session ON session_status_history(session_id, seq);
CREATE TABLE IF NOT EXISTS session_service_ports (
  session_id TEXT COLLATE "C" PRIMARY KEY REFERENCES sessions(id), ports BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS batch_sessions (
  session_id TEXT COLLATE "C" PRIMARY KEY REFERENCES sessions(id),
  startup_command TEXT NOT NULL, batch_timeout_ms BIGINT NOT NULL,
  ended BIGINT NOT NULL DEFAULT 0, has_exit_code BIGINT NOT NULL DEFAULT 0,
  exit_code BIGINT NOT NULL DEFAULT 0, output BYTEA);
CREATE TABLE IF NOT EXISTS agent_drains (
  agent_id TEXT COLLATE "C" PRIMARY KEY, drained_by TEXT NOT NULL,
  drained_at_ms BIGINT NOT NULL);
)sql";

/// Opening a transaction: IMMEDIATE on SQLite takes the write lock at once, so two writers never
/// deadlock on upgrading a read lock.
const char* begin_sql(sql_dialect d) {
  return d == sql_dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN";
}

} // namespace

bool is_postgres_url(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

session_store::session_store(std::unique_ptr<sql_connection> db) : db_(std::move(db)) {}

session_store::~session_store() {
  // Nothing acknowledged is lost when the store closes: an open batch is committed.
  static_cast<void>(commit_batch());
}

caf::error session_store::begin_batch() {
  if (batch_open_)
    return {};
  if (auto err = stmt{*db_, begin_sql(db_->dialect())}.run())
    return err;
  batch_open_ = true;
  return {};
}

caf::error session_store::commit_batch() {
  if (!batch_open_)
    return {};
  batch_open_ = false;
  static_cast<void>(write_held_history()); // a failure is kept in held_history_failure_
  if (auto err = std::exchange(held_history_failure_, caf::error{})) {
    // Rows of the batch's writes are missing: none of those writes may stay, and each is
    // answered with this error.
    static_cast<void>(stmt{*db_, "ROLLBACK"}.run());
    return err;
  }
  return stmt{*db_, "COMMIT"}.run();
}

caf::error session_store::transaction(const std::function<caf::error()>& body) {
  // Inside a batch a savepoint keeps the write all-or-nothing without ending the batch. The
  // statements are cached: parsing them again for every write cost more than the write.
  if (auto err = stmt{*db_, batch_open_ ? "SAVEPOINT one_write" : begin_sql(db_->dialect())}.run())
    return err;
  if (auto err = body()) {
    if (batch_open_) {
      static_cast<void>(stmt{*db_, "ROLLBACK TO one_write"}.run());
      static_cast<void>(stmt{*db_, "RELEASE one_write"}.run());
    } else {
      static_cast<void>(stmt{*db_, "ROLLBACK"}.run());
    }
    return err;
  }
  return stmt{*db_, batch_open_ ? "RELEASE one_write" : "COMMIT"}.run();
}

caf::error session_store::write(const std::function<caf::error()>& body) {
  if (batch_open_ && db_->dialect() == sql_dialect::postgres)
    return transaction(body);
  return body();
}

caf::error session_store::write_checked_first(const std::function<caf::error()>& body) {
  // SQLite undoes a failed statement by itself and keeps the transaction, so a write whose later
  // statements cannot fail but for the disk needs no savepoint: the first one fails alone, and a
  // disk that fails a later one fails the batch's commit too (or SQLite rolls the transaction
  // back). The savepoint, its release and the copies of every page it touches into the
  // statement journal were a third of the store's statements and much of its copying.
  if (batch_open_ && db_->dialect() == sql_dialect::sqlite)
    return body();
  return transaction(body);
}

caf::error session_store::changed_one(const std::string& what, const std::string& id) {
  if (db_->changes() == 0)
    return make_error(errc::not_found, "no " + what + " " + id + " in the store");
  return {};
}

caf::expected<std::unique_ptr<session_store>> session_store::open(const std::string& location) {
  auto pg = is_postgres_url(location);
  auto db = pg ? open_postgres(location) : open_sqlite(location);
  if (!db)
    return std::move(db.error());
  std::unique_ptr<session_store> out{new session_store(std::move(*db))};
  auto schema = std::string{pg ? postgres_schema : sqlite_schema} + (pg ? "" : agent_drains_schema);
  if (auto err = out->db_->exec(schema))
    return err;
  return out;
}

} // namespace baikal
