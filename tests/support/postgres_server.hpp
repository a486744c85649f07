#pragma once

/// A private PostgreSQL server (Debian's postgresql-15) for the tests of one process, as the
/// harness starts a private Docker engine: its own short directory under /tmp (/tmp/pg-XXXXXX,
/// owned by `postgres`: initdb and postgres refuse to run as root), listening only on a Unix
/// socket in that directory, on a port no other server of this helper holds. Nothing of the
/// host's PostgreSQL (its clusters, /var/run/postgresql, port 5432) is used or touched.
///
/// Link with libpq (`pq`): databases are made over a libpq connection.

#include <atomic>
#include <memory>
#include <string>

#include <sys/types.h>

namespace baikal::test {

/// Who runs PostgreSQL's programs: `postgres` when we are root (initdb and postgres refuse
/// root), else we ourselves.
struct postgres_account {
  uid_t uid = 0;
  gid_t gid = 0;
  bool switch_user = false;
};

class postgres_server {
  struct key {
    explicit key() = default;
  };

public:
  /// Starts one (about a second: initdb, then the server); null when it cannot, with the
  /// reason in `why_not` for the test to print (PostgreSQL not installed, what initdb wrote).
  static std::unique_ptr<postgres_server> start(std::string* why_not);

  explicit postgres_server(key); ///< use start()
  /// Stops the server (fast: open connections are cut) and removes its directory.
  ~postgres_server();
  postgres_server(const postgres_server&) = delete;
  postgres_server& operator=(const postgres_server&) = delete;

  /// Creates an empty database, `name` or else one unique in this process; answers its libpq
  /// URL. Throws std::runtime_error with the server's answer when it cannot (name taken, ...).
  std::string create_database(const std::string& name = {});
  /// The libpq URL of database `name`: postgresql://baikal@/NAME?host=DIR&port=PORT
  std::string url(const std::string& name) const;

  /// The crash: the server stops without a shutdown checkpoint (pg_ctl -m immediate), so the
  /// next start replays its WAL as after a crash. Connections are cut.
  void stop_immediate();
  /// Starts it again after a stop: same directory, port and databases. False (and why) when
  /// it does not come up.
  bool restart(std::string* why_not = nullptr);
  bool running() const { return running_; }

  std::string socket_dir() const { return dir_; }
  int port() const { return port_; }
  /// The end of the server's log, for failure messages.
  std::string log_tail() const;

private:
  bool set_up(std::string* why_not);
  bool start_server(std::string* why_not);

  std::string dir_;
  int port_ = 0;
  int port_hold_ = -1; ///< a TCP socket bound to the port: see reserve_port()
  postgres_account account_;
  pid_t owner_ = 0; ///< the process that started it: a fork's exit must not stop it
  bool running_ = false;
  std::atomic<int> databases_{0};
};

/// One server shared by every test of this process, started on first use and stopped at exit;
/// null (and why) when it cannot start. A test that stops it must restart() it.
postgres_server* shared_postgres_server(std::string* why_not = nullptr);

} // namespace baikal::test
