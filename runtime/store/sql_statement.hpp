#pragma once

/// The session store's statements, whichever database runs them: SQLite (the embedded default,
/// sqlite_connection.hpp) or PostgreSQL (postgres_connection.hpp). The store's SQL is written
/// once, with `?` placeholders, for both; each connection prepares a statement once per SQL text
/// and a `stmt` binds it positionally and reads its rows.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/error.hpp>

namespace baikal {

/// What one step of a statement gave.
enum class step_result { row, done, error };

/// The SQL dialects the store speaks (its schema and transaction statements differ).
enum class sql_dialect { sqlite, postgres };

/// One prepared statement of a connection, reused: bound, stepped through, then reset.
class sql_cursor {
public:
  virtual ~sql_cursor() = default;
  virtual void bind_text(const std::string& v) = 0;
  virtual void bind_integer(int64_t v) = 0;
  virtual void bind_blob(const std::vector<char>& v) = 0;
  virtual step_result step() = 0;
  /// Clears the bindings and rows for the statement's next use.
  virtual void reset() = 0;
  virtual std::string text(int col) const = 0;
  virtual int64_t integer(int col) const = 0;
  virtual std::vector<char> blob(int col) const = 0;
  /// Why the last step failed, naming the database.
  virtual caf::error failure() const = 0;
};

/// A connection to the store's database, used by one thread at a time.
class sql_connection {
public:
  virtual ~sql_connection() = default;
  virtual sql_dialect dialect() const = 0;
  /// The statement for `sql`, prepared on first use (parsing costs more than running it, and
  /// the store runs the same few statements for every session).
  virtual sql_cursor& statement(const char* sql) = 0;
  /// Rows the last INSERT, UPDATE or DELETE changed.
  virtual int64_t changes() const = 0;
  /// Runs `script` (statements separated by `;`, no parameters): the schema.
  virtual caf::error exec(const std::string& script) = 0;
  /// Runs `check` each time the connection is made again after the server cut it; an error it
  /// answers fails every statement from then on (the connection is fenced). For a store whose
  /// connection holds something the server forgets with it (a lock). A file has no such thing.
  virtual void after_reconnect(std::function<caf::error()> check) { static_cast<void>(check); }
  /// Why the connection may not be used any more (after_reconnect's check failed); none while
  /// it may.
  virtual caf::error fenced() const { return {}; }
};

/// A cached statement bound positionally, reset for its next use on scope exit.
class stmt {
public:
  stmt(sql_connection& db, const char* sql) : c_(db.statement(sql)) {}
  ~stmt() { c_.reset(); }
  stmt(const stmt&) = delete;
  stmt& operator=(const stmt&) = delete;

  stmt& bind(const std::string& v) {
    c_.bind_text(v);
    return *this;
  }
  stmt& bind(int64_t v) {
    c_.bind_integer(v);
    return *this;
  }
  stmt& bind_blob(const std::vector<char>& v) {
    c_.bind_blob(v);
    return *this;
  }
  step_result step() { return c_.step(); }
  /// Runs a statement that answers no rows.
  caf::error run() { return step() == step_result::done ? caf::error{} : failure(); }
  caf::error failure() const { return c_.failure(); }
  std::string text(int col) const { return c_.text(col); }
  int64_t integer(int col) const { return c_.integer(col); }
  std::vector<char> blob(int col) const { return c_.blob(col); }

private:
  sql_cursor& c_;
};

} // namespace baikal
