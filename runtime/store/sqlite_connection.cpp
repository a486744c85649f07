#include "runtime/store/sqlite_connection.hpp"

#include <mutex>
#include <unordered_map>

#include <sqlite3.h>

#include "messages/errors.hpp"

namespace baikal {

namespace {

caf::error sqlite_error(sqlite3* db) {
  return make_error(errc::runtime_error, std::string{"SQLite: "} + sqlite3_errmsg(db));
}

class sqlite_cursor final : public sql_cursor {
public:
  sqlite_cursor(sqlite3* db, const char* sql) : db_(db) {
    sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_, nullptr);
  }
  ~sqlite_cursor() override { sqlite3_finalize(s_); }
  sqlite_cursor(const sqlite_cursor&) = delete;
  sqlite_cursor& operator=(const sqlite_cursor&) = delete;

  void bind_text(const std::string& v) override {
    sqlite3_bind_text(s_, ++n_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_integer(int64_t v) override { sqlite3_bind_int64(s_, ++n_, v); }
  void bind_blob(const std::vector<char>& v) override {
    sqlite3_bind_blob(s_, ++n_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }

  step_result step() override {
    if (!s_)
      return step_result::error;
    switch (sqlite3_step(s_)) {
    case SQLITE_ROW:
      return step_result::row;
    case SQLITE_DONE:
      return step_result::done;
    default:
      return step_result::error;
    }
  }

  void reset() override {
    n_ = 0;
    if (s_) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }

  std::string text(int col) const override {
    auto p = sqlite3_column_text(s_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : std::string{};
  }
  int64_t integer(int col) const override { return sqlite3_column_int64(s_, col); }
  std::vector<char> blob(int col) const override {
    auto p = static_cast<const char*>(sqlite3_column_blob(s_, col));
    return p ? std::vector<char>(p, p + sqlite3_column_bytes(s_, col)) : std::vector<char>{};
  }
  caf::error failure() const override { return sqlite_error(db_); }

private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
  int n_ = 0;
};

class sqlite_connection final : public sql_connection {
public:
  explicit sqlite_connection(sqlite3* db) : db_(db) {}
  ~sqlite_connection() override {
    prepared_.clear(); // every statement is finalized before the connection closes
    sqlite3_close(db_);
  }
  sqlite_connection(const sqlite_connection&) = delete;
  sqlite_connection& operator=(const sqlite_connection&) = delete;

  sql_dialect dialect() const override { return sql_dialect::sqlite; }

  sql_cursor& statement(const char* sql) override {
    auto& c = prepared_[sql];
    if (!c)
      c = std::make_unique<sqlite_cursor>(db_, sql);
    return *c;
  }

  int64_t changes() const override { return sqlite3_changes(db_); }

  caf::error exec(const std::string& script) override {
    char* msg = nullptr;
    if (sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &msg) == SQLITE_OK)
      return {};
    std::string text = msg ? msg : "unknown error";
    sqlite3_free(msg);
    return make_error(errc::runtime_error, "SQLite: " + text);
  }

private:
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<sqlite_cursor>> prepared_;
};

/// SQLite counts every allocation under a global mutex unless told not to, and nothing here reads
/// the counts. It takes the setting only before its first use; later calls are refused, harmlessly.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

} // namespace

caf::expected<std::unique_ptr<sql_connection>> open_sqlite(const std::string& path) {
  configure_sqlite_once();
  sqlite3* db = nullptr;
  // No mutex per connection: each store is used by one actor, one message at a time.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return make_error(errc::runtime_error, "cannot open the store " + path + ": " + msg);
  }
  std::unique_ptr<sql_connection> out = std::make_unique<sqlite_connection>(db);
  // busy_timeout first: another connection (a store still closing) may hold the lock.
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes.
  for (auto sql : {"PRAGMA busy_timeout=5000", "PRAGMA journal_mode=WAL",
                   "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"})
    if (auto err = out->exec(sql))
      return err;
  return out;
}

} // namespace baikal
