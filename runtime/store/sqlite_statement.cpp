#include "runtime/store/sqlite_statement.hpp"

#include <sqlite3.h>

#include "messages/errors.hpp"

namespace baikal {

statement_cache::~statement_cache() {
  for (auto& entry : prepared)
    sqlite3_finalize(entry.second);
}

sqlite3_stmt* statement_cache::get(const char* sql) {
  auto& s = prepared[sql];
  if (!s)
    sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  return s;
}

stmt::~stmt() {
  if (s_) {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
}

stmt& stmt::bind(const std::string& v) {
  sqlite3_bind_text(s_, ++n_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

stmt& stmt::bind(int64_t v) {
  sqlite3_bind_int64(s_, ++n_, v);
  return *this;
}

stmt& stmt::bind_blob(const std::vector<char>& v) {
  sqlite3_bind_blob(s_, ++n_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

int stmt::step() {
  return s_ ? sqlite3_step(s_) : SQLITE_ERROR;
}

caf::error stmt::run() {
  return step() == SQLITE_DONE ? caf::error{} : failure();
}

caf::error stmt::failure() const {
  return make_error(errc::runtime_error, std::string{"SQLite: "} + sqlite3_errmsg(db_));
}

std::string stmt::text(int col) const {
  auto p = sqlite3_column_text(s_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(s_, col)))
           : std::string{};
}

int64_t stmt::integer(int col) const {
  return sqlite3_column_int64(s_, col);
}

std::vector<char> stmt::blob(int col) const {
  auto p = static_cast<const char*>(sqlite3_column_blob(s_, col));
  return p ? std::vector<char>(p, p + sqlite3_column_bytes(s_, col)) : std::vector<char>{};
}

} // namespace baikal
