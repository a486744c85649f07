#pragma once

/// Prepared SQLite statements for the session store: a cache of them by SQL text and a cursor
/// that binds one positionally and reads its rows.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/error.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace baikal {

/// The connection's prepared statements by SQL text: parsing a statement costs more than running
/// it, and the store runs the same few statements for every session.
struct statement_cache {
  explicit statement_cache(sqlite3* connection) : db(connection) {}
  ~statement_cache();
  statement_cache(const statement_cache&) = delete;
  statement_cache& operator=(const statement_cache&) = delete;

  /// The statement for `sql`, prepared on first use; null when SQLite refuses it.
  sqlite3_stmt* get(const char* sql);

  sqlite3* db;
  std::unordered_map<std::string, sqlite3_stmt*> prepared;
};

/// A cached prepared statement bound positionally, reset for its next use on scope exit.
class stmt {
public:
  stmt(statement_cache& cache, const char* sql) : db_(cache.db), s_(cache.get(sql)) {}
  ~stmt();
  stmt(const stmt&) = delete;
  stmt& operator=(const stmt&) = delete;

  stmt& bind(const std::string& v);
  stmt& bind(int64_t v);
  stmt& bind_blob(const std::vector<char>& v);
  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  caf::error run();
  caf::error failure() const;
  std::string text(int col) const;
  int64_t integer(int col) const;
  std::vector<char> blob(int col) const;

private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
  int n_ = 0;
};

} // namespace baikal
