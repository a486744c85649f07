#include "runtime/store/postgres_connection.hpp"

#include <cctype>
#include <cstring>
#include <unordered_map>
#include <vector>

#include <libpq-fe.h>

#include "messages/errors.hpp"

namespace baikal {

namespace {

// Type oids of the parameters (pg_type.h is a server header; these never change).
constexpr Oid int8_oid = 20;
constexpr Oid text_oid = 25;
constexpr Oid bytea_oid = 17;

struct result_deleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

struct conn_deleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using conn_ptr = std::unique_ptr<PGconn, conn_deleter>;

/// libpq's text on one line: its messages come as several, indented.
std::string one_line(const char* text) {
  std::string out;
  bool space = false;
  for (const char* p = text ? text : ""; *p; ++p) {
    if (std::isspace(static_cast<unsigned char>(*p))) {
      space = !out.empty();
      continue;
    }
    if (space)
      out += ' ';
    space = false;
    out += *p;
  }
  return out;
}

/// The message of libpq's last failure on `c`, on one line.
std::string last_error(PGconn* c) {
  return one_line(PQerrorMessage(c));
}

caf::error pg_error(const std::string& text) {
  return make_error(errc::runtime_error, "PostgreSQL: " + text);
}

int64_t big_endian(const char* p, int len) {
  int64_t v = 0;
  for (int i = 0; i < len; ++i)
    v = static_cast<int64_t>((static_cast<uint64_t>(v) << 8) | static_cast<unsigned char>(p[i]));
  // Sign-extend what was narrower than 8 bytes (int2, int4).
  if (len > 0 && len < 8 && (static_cast<unsigned char>(p[0]) & 0x80))
    v = static_cast<int64_t>(static_cast<uint64_t>(v) | (~uint64_t{0} << (len * 8)));
  return v;
}

class postgres_connection;

class postgres_cursor final : public sql_cursor {
public:
  postgres_cursor(postgres_connection& conn, std::string name, std::string sql)
      : conn_(conn), name_(std::move(name)), sql_(std::move(sql)) {}

  void bind_text(const std::string& v) override { add(text_oid, v.data(), v.size()); }
  void bind_integer(int64_t v) override {
    char buf[8];
    for (int i = 7; i >= 0; --i) {
      buf[i] = static_cast<char>(v & 0xff);
      v = static_cast<int64_t>(static_cast<uint64_t>(v) >> 8);
    }
    add(int8_oid, buf, sizeof buf);
  }
  void bind_blob(const std::vector<char>& v) override { add(bytea_oid, v.data(), v.size()); }

  step_result step() override;

  void reset() override {
    values_.clear();
    types_.clear();
    result_.reset();
    row_ = -1;
    error_.clear();
  }

  std::string text(int col) const override {
    if (!has(col))
      return {};
    return std::string(PQgetvalue(result_.get(), row_, col),
                       static_cast<size_t>(PQgetlength(result_.get(), row_, col)));
  }
  int64_t integer(int col) const override {
    if (!has(col))
      return 0;
    return big_endian(PQgetvalue(result_.get(), row_, col), PQgetlength(result_.get(), row_, col));
  }
  std::vector<char> blob(int col) const override {
    if (!has(col))
      return {};
    auto p = PQgetvalue(result_.get(), row_, col);
    return std::vector<char>(p, p + PQgetlength(result_.get(), row_, col));
  }
  caf::error failure() const override { return pg_error(error_.empty() ? "no result" : error_); }

  /// The connection was made again: the server forgot its prepared statements.
  void forget_prepared() { prepared_ = false; }

private:
  void add(Oid type, const char* p, size_t n) {
    values_.emplace_back(p, n);
    types_.push_back(type);
  }
  bool has(int col) const {
    return result_ && row_ >= 0 && col < PQnfields(result_.get()) &&
           !PQgetisnull(result_.get(), row_, col);
  }
  step_result execute();
  step_result attempt();

  postgres_connection& conn_;
  std::string name_;
  std::string sql_;
  bool prepared_ = false;
  std::vector<std::string> values_;
  std::vector<Oid> types_;
  result_ptr result_;
  int row_ = -1;
  std::string error_;
};

class postgres_connection final : public sql_connection {
public:
  explicit postgres_connection(conn_ptr conn) : conn_(std::move(conn)) {}

  sql_dialect dialect() const override { return sql_dialect::postgres; }

  sql_cursor& statement(const char* sql) override {
    auto& c = prepared_[sql];
    if (!c)
      c = std::make_unique<postgres_cursor>(*this, "baikal_" + std::to_string(prepared_.size()),
                                            postgres_placeholders(sql));
    return *c;
  }

  int64_t changes() const override { return changes_; }

  void after_reconnect(std::function<caf::error()> check) override { check_ = std::move(check); }

  bool was_idle() const { return idle_; }
  void note_transaction_state() { idle_ = PQtransactionStatus(conn_.get()) == PQTRANS_IDLE; }

  /// Set once the connection must not be used any more (after_reconnect).
  caf::error fenced() const override { return fenced_; }

  caf::error exec(const std::string& script) override {
    result_ptr r{PQexec(conn_.get(), script.c_str())};
    auto status = PQresultStatus(r.get());
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
      return {};
    return pg_error(last_error(conn_.get()));
  }

  PGconn* raw() { return conn_.get(); }
  void set_changes(int64_t n) { changes_ = n; }

  /// After a failure: if the connection itself broke (the server restarted), makes it again;
  /// whether it did and may be used. A new connection has no prepared statements.
  bool recover() {
    if (PQstatus(conn_.get()) != CONNECTION_BAD || fenced_ || checking_)
      return false;
    PQreset(conn_.get());
    for (auto& entry : prepared_)
      entry.second->forget_prepared();
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      return false;
    idle_ = true;
    verified_ = false;
    return verify();
  }

  /// Whether a statement may be sent now. A connection made again is used only once the
  /// after_reconnect check passed: one that broke again during the check is made again and
  /// checked before the next statement, never used unchecked, and never taken for fenced
  /// unless the check said so (a leader whose connection was cut twice in a row would
  /// otherwise take itself for cut off from the database for good).
  bool usable() {
    if (fenced_)
      return false;
    if (checking_ || verified_)
      return true;
    if (PQstatus(conn_.get()) == CONNECTION_BAD)
      return recover();
    return verify();
  }

  /// Why usable() said no.
  std::string unusable_why() {
    if (fenced_)
      return message_of(fenced_);
    if (PQstatus(conn_.get()) == CONNECTION_BAD)
      return last_error(conn_.get());
    return "the connection to the database was made again and the check after it did not pass "
           "yet";
  }

private:
  conn_ptr conn_;
  std::unordered_map<std::string, std::unique_ptr<postgres_cursor>> prepared_;
  int64_t changes_ = 0;
  std::function<caf::error()> check_;
  caf::error fenced_;
  bool checking_ = false; ///< check_ runs: a failure in it does not reconnect again
  bool verified_ = true;  ///< false from a reconnect until check_ passed on it

  /// Runs the after_reconnect check; only its `unavailable` fences the connection for good.
  bool verify() {
    if (!check_) {
      verified_ = true;
      return true;
    }
    checking_ = true;
    auto err = check_();
    checking_ = false;
    if (!err) {
      verified_ = true;
      return true;
    }
    if (code_of(err) == errc::unavailable)
      fenced_ = std::move(err);
    return false;
  }
  bool idle_ = true; ///< outside a transaction after the last statement that worked
};

step_result postgres_cursor::step() {
  if (row_ < 0 && !result_)
    return execute();
  if (!result_)
    return step_result::error;
  return ++row_ < PQntuples(result_.get()) ? step_result::row : step_result::done;
}

step_result postgres_cursor::execute() {
  if (!conn_.usable()) {
    error_ = conn_.unusable_why();
    return step_result::error;
  }
  // A statement sent outside a transaction (BEGIN, or one of the store's idempotent single
  // writes) on a connection the server cut is sent once more on a new connection: the server
  // that restarted meanwhile never ran it, or running it twice changes nothing. Inside a
  // transaction it fails: the transaction is gone with the connection.
  // Whether it is outside one is what the connection last said while it worked: a broken
  // connection says nothing, and a COMMIT sent again on a new one would "succeed" with nothing
  // to commit.
  bool outside = conn_.was_idle();
  auto r = attempt();
  // Made again in any case, so that the next statement finds a connection.
  if (r == step_result::error && conn_.recover() && outside)
    r = attempt();
  if (r != step_result::error)
    conn_.note_transaction_state();
  return r;
}

step_result postgres_cursor::attempt() {
  auto* c = conn_.raw();
  auto n = static_cast<int>(values_.size());
  if (!prepared_) {
    // Prepared on first use with the types bound then: the store binds each statement alike.
    result_ptr r{PQprepare(c, name_.c_str(), sql_.c_str(), n, types_.data())};
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      error_ = last_error(c);
      return step_result::error;
    }
    prepared_ = true;
  }
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats(values_.size(), 1);
  for (auto& v : values_) {
    values.push_back(v.data());
    lengths.push_back(static_cast<int>(v.size()));
  }
  result_.reset(
      PQexecPrepared(c, name_.c_str(), n, values.data(), lengths.data(), formats.data(), 1));
  auto status = PQresultStatus(result_.get());
  if (status == PGRES_COMMAND_OK) {
    auto tuples = PQcmdTuples(result_.get());
    conn_.set_changes(*tuples ? std::atoll(tuples) : 0);
    return step_result::done;
  }
  if (status == PGRES_TUPLES_OK) {
    row_ = 0;
    return PQntuples(result_.get()) > 0 ? step_result::row : step_result::done;
  }
  error_ = result_ ? one_line(PQresultErrorMessage(result_.get())) : last_error(c);
  result_.reset();
  return step_result::error;
}

} // namespace

std::string postgres_placeholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  long largest = 0;
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    char ch = sql[i];
    if (ch == '\'')
      quoted = !quoted; // '' inside a literal toggles twice: still quoted
    if (quoted || ch != '?') {
      out += ch;
      continue;
    }
    size_t j = i + 1;
    while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])))
      ++j;
    long n = j > i + 1 ? std::stol(sql.substr(i + 1, j - i - 1)) : largest + 1;
    if (n > largest)
      largest = n;
    out += '$' + std::to_string(n);
    i = j - 1;
  }
  return out;
}

std::string redacted_url(const std::string& url) {
  // postgresql://user:password@host/... : the password is between the first ':' after the
  // scheme and the '@'.
  auto scheme = url.find("://");
  if (scheme == std::string::npos)
    return url;
  auto at = url.find('@', scheme + 3);
  if (at == std::string::npos)
    return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at)
    return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

caf::expected<std::unique_ptr<sql_connection>> open_postgres(const std::string& url) {
  conn_ptr conn{PQconnectdb(url.c_str())};
  if (!conn)
    return make_error(errc::runtime_error,
                      "cannot open the store " + redacted_url(url) + ": out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK)
    return make_error(errc::runtime_error,
                      "cannot open the store " + redacted_url(url) + ": " + last_error(conn.get()));
  // The schema's notices ("relation already exists, skipping") are of no interest.
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  return std::unique_ptr<sql_connection>{std::make_unique<postgres_connection>(std::move(conn))};
}

} // namespace baikal
