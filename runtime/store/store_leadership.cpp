// Leading the managers that share one PostgreSQL store. The leader holds a session-level
// advisory lock on its store connection: the server lets it go when the connection ends (the
// leader died) or when the connection stays idle longer than the lease (the leader paused: the
// server ends idle sessions after idle_session_timeout). A standby takes the lock when it is
// free and counts one more epoch. Fencing comes with the connection: a deposed leader's
// connection is gone, and the one it makes again may only be used if it takes the lock back in
// the same epoch (the database restarted and nobody else led meanwhile).

#include <thread>

#include "messages/errors.hpp"
#include "runtime/clock/wall_clock.hpp"
#include "runtime/store/session_store.hpp"
#include "runtime/store/sql_statement.hpp"

namespace baikal {

namespace {

/// The lock every manager of a store competes for ("baikal" in ASCII).
constexpr int64_t lead_lock_key = 0x62'61'69'6b'61'6c;

constexpr const char* leadership_schema = R"sql(
CREATE TABLE IF NOT EXISTS manager_leadership (
  one BIGINT PRIMARY KEY CHECK (one = 1), epoch BIGINT NOT NULL, leader TEXT NOT NULL,
  since_ms BIGINT NOT NULL);
)sql";

std::string as_ms(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + "ms";
}

caf::error not_leading(const std::string& why) {
  return make_error(errc::unavailable, "this manager no longer leads the store: " + why);
}

} // namespace

caf::expected<bool> session_store::take_lock(const lead_settings& lead) {
  // A paused leader goes idle: the server ends its session, and frees the lock, after the
  // lease. Inside a transaction, too.
  // Named after the manager, so that an operator sees in pg_stat_activity which one leads.
  std::pair<const char*, std::string> settings[] = {
      {"idle_session_timeout", as_ms(lead.lease)},
      {"idle_in_transaction_session_timeout", as_ms(lead.lease)},
      {"application_name", lead.who.substr(0, 63)}};
  for (auto& [name, value] : settings) {
    stmt s{*db_, "SELECT set_config(?, ?, false)"};
    if (s.bind(std::string{name}).bind(value).step() != step_result::row)
      return s.failure();
  }
  stmt s{*db_, "SELECT pg_try_advisory_lock(?)"};
  if (s.bind(lead_lock_key).step() != step_result::row)
    return s.failure();
  return s.integer(0) != 0;
}

caf::expected<bool> session_store::try_lead(const lead_settings& lead) {
  auto locked = take_lock(lead);
  if (!locked || !*locked)
    return locked;
  stmt s{*db_, "INSERT INTO manager_leadership (one, epoch, leader, since_ms) VALUES (1, 1, ?, ?) "
               "ON CONFLICT (one) DO UPDATE SET epoch = manager_leadership.epoch + 1, "
               "leader = excluded.leader, since_ms = excluded.since_ms RETURNING epoch"};
  if (s.bind(lead.who).bind(wall_clock_ms()).step() != step_result::row)
    return s.failure();
  epoch_ = s.integer(0);
  return true;
}

caf::error session_store::lead_again(const lead_settings& lead) {
  auto mine = epoch_;
  auto locked = take_lock(lead);
  if (!locked)
    return locked.error();
  if (!*locked)
    return not_leading("another manager holds the lead");
  auto now = leader();
  if (!now)
    return now.error();
  if (now->epoch != mine) {
    stmt s{*db_, "SELECT pg_advisory_unlock(?)"};
    static_cast<void>(s.bind(lead_lock_key).step());
    return not_leading(now->leader + " led it meanwhile (epoch " + std::to_string(now->epoch) +
                       ", this manager's was " + std::to_string(mine) + ")");
  }
  return {};
}

caf::expected<leader_info> session_store::leader() {
  stmt s{*db_, "SELECT epoch, leader FROM manager_leadership WHERE one = 1"};
  auto rc = s.step();
  if (rc == step_result::done)
    return leader_info{};
  if (rc != step_result::row)
    return s.failure();
  return leader_info{s.integer(0), s.text(1)};
}

caf::expected<std::unique_ptr<session_store>>
session_store::open_leading(const std::string& url, const lead_settings& lead,
                            const std::function<void(const std::string&)>& waiting) {
  if (!is_postgres_url(url))
    return open(url);
  std::unique_ptr<session_store> store;
  for (;; std::this_thread::sleep_for(lead.retry)) {
    if (lead.stop_waiting && lead.stop_waiting())
      return make_error(errc::unavailable, "stopped while standing by");
    if (!store) {
      auto opened = open(url);
      if (!opened) {
        waiting(message_of(opened.error()));
        continue;
      }
      store = std::move(*opened);
      // Two managers starting at once may both create it: the loser retries.
      if (auto err = store->db_->exec(leadership_schema)) {
        waiting(message_of(err));
        store.reset();
        continue;
      }
    }
    auto led = store->try_lead(lead);
    if (!led) {
      waiting(message_of(led.error()));
      store.reset(); // a new connection next time
      continue;
    }
    if (*led)
      break;
    auto now = store->leader();
    if (now && lead.seen)
      lead.seen(*now);
    waiting(now ? now->leader + " leads the store (epoch " + std::to_string(now->epoch) + ")"
                : message_of(now.error()));
  }
  auto* self = store.get();
  store->db_->after_reconnect([self, lead] { return self->lead_again(lead); });
  return store;
}

caf::error session_store::keep_leading() {
  if (epoch_ == 0)
    return {};
  // The first statement on a connection the server ended may only learn so: the second one
  // makes it again, and takes the lead back if nobody else took it meanwhile.
  caf::error err;
  for (int attempt = 0; attempt < 2; ++attempt) {
    stmt s{*db_, "SELECT 1"};
    if (s.step() == step_result::row)
      return {};
    err = s.failure();
  }
  if (auto why = db_->fenced())
    return why;
  // The database cannot be reached: nobody can take the lead meanwhile, and the connection
  // made when it is back decides.
  return make_error(errc::runtime_error, "cannot reach the database: " + message_of(err));
}

} // namespace baikal
