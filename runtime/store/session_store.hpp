#pragma once

/// The manager's store: SQLite (WAL mode, the embedded default for one machine) or PostgreSQL
/// (for managers that share it), with one schema and the same SQL. Every call blocks on disk or
/// on the database: only the detached store actor (actors/manager/store_actor.hpp) and tests use
/// it directly.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/session_records.hpp"

namespace baikal {

class sql_connection;

/// Who leads a store, as a standby sees it.
struct leader_info {
  int64_t epoch = 0; ///< how many times a manager took the lead
  std::string leader;
};

/// How a manager leads the managers that share one PostgreSQL store (store_leadership.cpp).
struct lead_settings {
  std::string who; ///< this manager, as the standbys and the logs name it (its API address)
  /// A leader silent this long loses the lead (the server ends its connection, and the lock
  /// with it); keep_leading() must run more often than that.
  std::chrono::milliseconds lease{2000};
  std::chrono::milliseconds retry{500}; ///< how often a standby tries to take the lead
  /// Told whom a standby found leading, on every try (may be empty): its API sends writes
  /// there.
  std::function<void(const leader_info&)> seen;
  /// Asked before every try (may be empty): true ends the wait, the process is stopping.
  std::function<bool()> stop_waiting;
};

/// Whether `location` names a PostgreSQL database (a `postgresql://` or `postgres://` URL)
/// rather than a SQLite file.
bool is_postgres_url(const std::string& location);

class session_store {
public:
  /// Opens the database at `location` and creates its schema if needed: a PostgreSQL URL
  /// (is_postgres_url), or else the path of a SQLite file (created if needed).
  static caf::expected<std::unique_ptr<session_store>> open(const std::string& location);

  /// Opens the PostgreSQL store at `url` as the one manager that leads it, waiting (and
  /// telling `waiting` whom it waits for, on every try) while another leads it or the database
  /// cannot be reached. Only the leader writes: a leader that lost the lead (it was silent for
  /// longer than the lease, or its connection broke and another took over) gets an error from
  /// every call. A SQLite location has no other manager: it is opened as ever.
  static caf::expected<std::unique_ptr<session_store>>
  open_leading(const std::string& url, const lead_settings& lead,
               const std::function<void(const std::string& why_waiting)>& waiting);

  /// Proves the leader alive to the database, more often than the lease. `unavailable` once
  /// the lead is lost (nothing the store does succeeds any more); `runtime_error` while the
  /// database cannot be reached (still the leader as far as anyone can tell).
  caf::error keep_leading();
  /// The epoch this manager leads in; 0 when it does not lead (SQLite, or not asked to).
  int64_t epoch() const { return epoch_; }
  /// Who leads the store now (PostgreSQL only).
  caf::expected<leader_info> leader();

  ~session_store();
  session_store(const session_store&) = delete;
  session_store& operator=(const session_store&) = delete;

  // -- batches --
  /// Writes from here to commit_batch() share one transaction: one commit (and one sync of the
  /// file) for many writes. Each write still succeeds or fails on its own, and reads see it at
  /// once. Closing the store commits an open batch.
  caf::error begin_batch();
  caf::error commit_batch();
  bool in_batch() const { return batch_open_; }

  // -- agents --
  caf::error upsert_agent(const agent_record& agent);
  caf::expected<std::vector<agent_record>> list_agents();
  /// Records that operator `by` drained agent `id` (no new kernels), or removes the drain.
  caf::error set_agent_drained(const agent_id& id, bool drained, const std::string& by);
  /// The agents drained now, by id.
  caf::expected<std::vector<agent_id>> list_drained_agents();

  // -- sessions --
  /// Inserts `session` and its kernels with `status`, recording it as the first transition.
  caf::error insert_session(const scheduled_session& session, session_status status,
                            const std::string& reason);
  caf::expected<session_record> get_session(const session_id& id);
  caf::expected<std::vector<session_record>> list_sessions();
  /// The sessions of one user, oldest first, as `page` selects; not_found when `page.after`
  /// names no session of theirs.
  caf::expected<std::vector<session_record>> list_sessions_of(const user_id& owner,
                                                              const session_page& page = {});
  /// Replaces the session's spec with `session` as the scheduler bound it, and records each
  /// kernel's agent.
  caf::error bind_session(const scheduled_session& session);
  /// Moves the session to `status` and appends the transition to its history.
  caf::error set_session_status(const session_id& id, session_status status,
                                const std::string& reason);
  /// What one step of a session's actor changed: bound as bind_session does when `bound` is
  /// given, then moved through `moves` (never empty), each kept in its history at its at_ms.
  caf::error move_session(const session_id& id, const std::vector<status_change>& moves,
                          const scheduled_session* bound);
  caf::expected<std::vector<status_change>> status_history(const session_id& id);
  caf::error update_session_network_id(const session_id& id, const std::string& network_id);
  caf::error update_session_error_info(const session_id& id, const std::string& error_info);

  // -- batch sessions (their command, limit and end: a table of their own) --
  /// Records how the batch session's startup command ended; `output` is kept as given.
  caf::error set_batch_result(const session_id& id, const caf::optional<int32_t>& exit_code,
                              const std::string& output);
  /// The output stored for the batch session; not_found when it is not a batch session or its
  /// command has not ended.
  caf::expected<std::string> batch_output(const session_id& id);

  // -- kernels --
  /// An empty `container_id` keeps the one recorded (a kernel ending keeps its container's id).
  /// Records the services of the session's main kernel (replacing what was recorded).
  caf::error set_service_ports(const session_id& id, const std::vector<service_port>& ports);
  caf::error set_kernel_status(const kernel_id& id, kernel_status status,
                               const std::string& container_id);

private:
  explicit session_store(std::unique_ptr<sql_connection> db);
  caf::expected<std::vector<kernel_record>> kernels_of(const session_id& id);
  /// Fills the batch fields of `rec` (command and limit into its spec, the exit code) from
  /// batch_sessions; a session without a row there is left as it is.
  void read_batch_fields(session_record& rec);
  caf::expected<std::vector<session_record>> records_of(const std::vector<session_id>& ids);
  caf::error read_service_ports(session_record& rec);
  caf::expected<std::vector<session_record>> sessions_by(const char* sql, const std::string* arg);
  /// Runs `body` in one transaction (IMMEDIATE on SQLite), rolled back when it fails.
  caf::error transaction(const std::function<caf::error()>& body);
  /// Runs the one statement of `body`. Within a batch on PostgreSQL it gets a savepoint of its
  /// own, since a failed statement there would abort the whole batch.
  caf::error write(const std::function<caf::error()>& body);
  /// Runs the statements of `body`, of which only the first can fail but for the disk, as one
  /// write: within a batch on SQLite without a savepoint of its own (see the definition).
  caf::error write_checked_first(const std::function<caf::error()>& body);
  /// Fails with not_found when the last statement changed no row.
  caf::error changed_one(const std::string& what, const std::string& id);
  /// Records each of the bound session's kernels' agent.
  caf::error record_agents(const scheduled_session& bound);
  /// The moves' rows of the session's history, in their order. Within a batch on SQLite they
  /// are kept until the batch commits or a read needs them (write_held_history).
  caf::error record_history(const session_id& id, const std::vector<status_change>& moves);
  struct held_history_row {
    session_id session;
    status_change change;
  };
  /// Writes `rows` in their order, many to a statement.
  caf::error write_history(const std::vector<held_history_row>& rows);
  /// Writes the history rows a batch holds; a failure is also kept for the commit.
  caf::error write_held_history();

  /// Sets the lease on this connection and takes the lead's lock if it is free: whether it did.
  caf::expected<bool> take_lock(const lead_settings& lead);
  /// Takes the lead if no other manager holds it: whether it did.
  caf::expected<bool> try_lead(const lead_settings& lead);
  /// After the connection was made again: still the leader, in the same epoch, or fenced.
  caf::error lead_again(const lead_settings& lead);

  std::unique_ptr<sql_connection> db_;
  bool batch_open_ = false;
  /// History rows of the open batch not written yet: one INSERT of many rows costs far less
  /// than one per row, and no constraint can fail them (only the disk, which fails the commit).
  std::vector<held_history_row> held_history_;
  /// Why held rows could not be written within the open batch: its commit rolls it back.
  caf::error held_history_failure_;
  int64_t epoch_ = 0;
};

} // namespace baikal
