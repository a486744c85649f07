#include "support/postgres_server.hpp"

#include <libpq-fe.h>

#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace baikal::test {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* bin_dir = "/usr/lib/postgresql/15/bin";
/// The superuser initdb makes; with trust authentication it needs no password.
constexpr const char* superuser = "baikal";

std::string bin(const char* program) {
  return std::string{bin_dir} + "/" + program;
}

void tell(std::string* why_not, const std::string& why) {
  if (why_not)
    *why_not = why;
}

std::string tail_of(const std::string& path, size_t size = 3000) {
  std::ifstream in{path};
  std::stringstream text;
  text << in.rdbuf();
  auto s = text.str();
  return s.size() > size ? s.substr(s.size() - size) : s;
}

std::optional<postgres_account> server_account(std::string* why_not) {
  if (::geteuid() != 0)
    return postgres_account{::geteuid(), ::getegid(), false};
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwnam_r("postgres", &entry, buffer.data(), buffer.size(), &found) != 0 || !found) {
    tell(why_not, "there is no user postgres to run PostgreSQL as (initdb refuses root): "
                  "is postgresql-15 installed?");
    return std::nullopt;
  }
  return postgres_account{found->pw_uid, found->pw_gid, true};
}

/// What a forked child needs, all made before the fork: until exec the child may only make
/// async-signal-safe calls (another thread may have held malloc's lock when we forked).
struct child_setup {
  const postgres_account& account;
  char* const* argv;
  char* const* envp;
  int in, out;
  const char* dir;
  const std::string& exec_failed;
};

[[noreturn]] void exec_child(const child_setup& c) {
  ::dup2(c.in, 0);
  ::dup2(c.out, 1);
  ::dup2(c.out, 2);
  // The postmaster outlives the command (pg_ctl leaves it running): it must not keep the
  // test's sockets and files open.
  if (::close_range(3, ~0U, 0) != 0)
    for (int fd = 3; fd < 4096; ++fd)
      ::close(fd);
  // Ignored signals and the blocked mask survive exec; the test's (SIGPIPE ignored, signals
  // blocked in the forking thread) must not reach the server.
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig)
    ::signal(sig, SIG_DFL);
  // Without a readable working directory PostgreSQL's programs warn about it in every output.
  bool ready = ::chdir(c.dir) == 0;
  if (ready && c.account.switch_user)
    ready = ::setgroups(0, nullptr) == 0 && ::setgid(c.account.gid) == 0 &&
            ::setuid(c.account.uid) == 0;
  if (ready)
    ::execve(c.argv[0], c.argv, c.envp);
  ssize_t ignored = ::write(2, c.exec_failed.data(), c.exec_failed.size());
  (void)ignored;
  ::_exit(127);
}

/// Waits for the child's exit; after `limit` kills it. Answers its exit code (128 + signal
/// when killed by one), or -1 when it ran past `limit`.
int wait_for_exit(pid_t pid, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (done < 0 && errno != EINTR)
      return -1;
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(10ms);
  }
}

/// Runs one of PostgreSQL's programs (no shell) as `account` in `dir`, its output going to the
/// file `out`; answers its exit code, -1 when it could not start or ran past `limit`.
int run(const postgres_account& account, const std::vector<std::string>& argv,
        const std::string& dir, const std::string& out, std::chrono::seconds limit = 120s) {
  std::vector<char*> args;
  for (auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // A clean environment: the PG* variables of whoever runs the tests must not steer the
  // programs to another server, and LC_ALL=C keeps their messages readable in the reasons.
  std::string path = "PATH=/usr/bin:/bin", locale = "LC_ALL=C";
  char* envp[] = {path.data(), locale.data(), nullptr};
  std::string exec_failed =
      "cannot run " + argv[0] + " as uid " + std::to_string(account.uid) + " in " + dir + "\n";
  int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int output = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  pid_t pid = in < 0 || output < 0 ? -1 : ::fork();
  if (pid == 0)
    exec_child({account, args.data(), envp, in, output, dir.c_str(), exec_failed});
  if (in >= 0)
    ::close(in);
  if (output >= 0)
    ::close(output);
  return pid < 0 ? -1 : wait_for_exit(pid, limit);
}

bool pg_ctl_stop(const postgres_account& account, const std::string& dir, const char* mode) {
  return run(account, {bin("pg_ctl"), "-D", dir + "/data", "-m", mode, "-w", "-t", "30", "stop"},
             dir, dir + "/pg_ctl.out", 60s) == 0;
}

std::string pid_namespace() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/ns/pid", ec).string();
}

/// Whether process `pid` (of our pid namespace) still runs. A zombie does not: a killed test
/// process whose parent has not reaped it yet is gone all the same.
bool still_runs(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH)
    return false;
  std::ifstream stat{"/proc/" + std::to_string(pid) + "/stat"};
  std::string text{std::istreambuf_iterator<char>{stat}, std::istreambuf_iterator<char>{}};
  auto after_name = text.rfind(')'); // the name, in parentheses, may hold anything
  return after_name == std::string::npos || text.compare(after_name, 3, ") Z") != 0;
}

/// Servers of test processes that died without stopping theirs (killed at a timeout, crashed):
/// each directory names its owner, and those whose owner is gone are stopped and removed. Only
/// owners of our pid namespace: in another, the number means another process.
void remove_abandoned_servers(const postgres_account& account) {
  auto here = pid_namespace();
  std::error_code ec;
  for (fs::directory_iterator i{"/tmp", ec}, end; !ec && i != end; i.increment(ec)) {
    if (i->path().filename().string().rfind("pg-", 0) != 0)
      continue;
    auto dir = i->path().string();
    std::ifstream in{dir + "/owner"};
    pid_t pid = 0;
    std::string ns;
    if (!(in >> pid >> ns) || pid <= 0 || ns != here || still_runs(pid))
      continue;
    std::error_code ignored;
    if (fs::exists(dir + "/data/postmaster.pid", ignored))
      pg_ctl_stop(account, dir, "immediate");
    fs::remove_all(dir, ignored);
  }
}

/// Postgres listens on no TCP port here: the port only names its socket file and keys its
/// shared memory. Holding a TCP socket bound to it for the server's life keeps the servers of
/// concurrent test processes on distinct ports; the kernel picks one nobody holds.
int reserve_port(int* hold) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY); // loopback may be down in a test's namespace
  socklen_t size = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    if (fd >= 0)
      ::close(fd);
    return 0;
  }
  *hold = fd;
  return ntohs(address.sin_port);
}

std::string percent_encoded(const std::string& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || c == '.';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

} // namespace

std::unique_ptr<postgres_server> postgres_server::start(std::string* why_not) {
  auto server = std::make_unique<postgres_server>(key{});
  if (!server->set_up(why_not))
    return nullptr;
  return server;
}

postgres_server::postgres_server(key) : owner_{::getpid()} {}

postgres_server::~postgres_server() {
  // A forked child of the test that exits normally runs this too: the server is not its own.
  if (::getpid() != owner_)
    return;
  // Whether or not running_ says so: a start that timed out may have come up after all.
  std::error_code ec;
  if (!dir_.empty() && fs::exists(dir_ + "/data/postmaster.pid", ec) &&
      !pg_ctl_stop(account_, dir_, "fast"))
    pg_ctl_stop(account_, dir_, "immediate");
  if (port_hold_ >= 0)
    ::close(port_hold_);
  if (!dir_.empty())
    fs::remove_all(dir_, ec);
}

bool postgres_server::set_up(std::string* why_not) {
  if (::access(bin("pg_ctl").c_str(), X_OK) != 0) {
    tell(why_not, "PostgreSQL 15 is not installed (no " + bin("pg_ctl") +
                      "): apt-get install postgresql-15");
    return false;
  }
  auto account = server_account(why_not);
  if (!account)
    return false;
  account_ = *account;
  remove_abandoned_servers(account_);

  // Short: the socket's path (DIR/.s.PGSQL.PORT) must fit in 108 bytes.
  char name[] = "/tmp/pg-XXXXXX";
  if (::mkdtemp(name) == nullptr) {
    tell(why_not, "cannot create a directory under /tmp");
    return false;
  }
  dir_ = name;
  std::ofstream{dir_ + "/owner"} << owner_ << ' ' << pid_namespace() << '\n';
  if (account_.switch_user && ::chown(dir_.c_str(), account_.uid, account_.gid) != 0) {
    tell(why_not, "cannot give " + dir_ + " to the postgres user");
    return false;
  }
  port_ = reserve_port(&port_hold_);
  if (port_ == 0) {
    tell(why_not, "cannot reserve a port for PostgreSQL");
    return false;
  }

  // --no-sync: a throw-away cluster need not reach the disk (it saves most of initdb's time).
  int rc = run(account_,
               {bin("initdb"), "-D", dir_ + "/data", "-A", "trust", "-U", superuser, "-E", "UTF8",
                "--no-locale", "--no-sync"},
               dir_, dir_ + "/initdb.out");
  if (rc != 0) {
    tell(why_not,
         "initdb failed (exit " + std::to_string(rc) + "):\n" + tail_of(dir_ + "/initdb.out"));
    return false;
  }
  // In postgresql.conf rather than on pg_ctl's command line: restart() and anyone starting
  // the cluster by hand to look at it get the same server. fsync = off: the crash here is the
  // server's processes dying (stop_immediate), never the machine's, and what a commit wrote to
  // the kernel survives that; synchronous_commit stays on, so a commit is in the WAL on return.
  std::ofstream conf{dir_ + "/data/postgresql.conf", std::ios::app};
  conf << "\n# baikal test server (tests/support/postgres_server.cpp)\n"
       << "listen_addresses = ''\n"
       << "port = " << port_ << "\n"
       << "unix_socket_directories = '" << dir_ << "'\n"
       << "fsync = off\n";
  conf.close();
  if (!conf) {
    tell(why_not, "cannot write " + dir_ + "/data/postgresql.conf");
    return false;
  }
  return start_server(why_not);
}

bool postgres_server::start_server(std::string* why_not) {
  int rc =
      run(account_,
          {bin("pg_ctl"), "-D", dir_ + "/data", "-l", dir_ + "/log", "-w", "-t", "60", "start"},
          dir_, dir_ + "/pg_ctl.out", 90s);
  running_ = rc == 0;
  if (!running_)
    tell(why_not, "pg_ctl start failed (exit " + std::to_string(rc) + "):\n" +
                      tail_of(dir_ + "/pg_ctl.out") + "\nserver log:\n" + log_tail());
  return running_;
}

void postgres_server::stop_immediate() {
  if (running_ && pg_ctl_stop(account_, dir_, "immediate"))
    running_ = false;
}

bool postgres_server::restart(std::string* why_not) {
  return running_ || start_server(why_not);
}

std::string postgres_server::log_tail() const {
  return tail_of(dir_ + "/log");
}

std::string postgres_server::url(const std::string& name) const {
  return std::string{"postgresql://"} + superuser + "@/" + percent_encoded(name) + "?host=" + dir_ +
         "&port=" + std::to_string(port_);
}

std::string postgres_server::create_database(const std::string& name) {
  auto db = name.empty() ? "db_" + std::to_string(++databases_) : name;
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn{
      PQconnectdb((url("postgres") + "&connect_timeout=10").c_str()), &PQfinish};
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw std::runtime_error("cannot connect to " + url("postgres") + ": " +
                             PQerrorMessage(conn.get()));
  std::unique_ptr<char, decltype(&PQfreemem)> quoted{
      PQescapeIdentifier(conn.get(), db.c_str(), db.size()), &PQfreemem};
  if (!quoted)
    throw std::runtime_error("cannot quote the database name " + db);
  std::unique_ptr<PGresult, decltype(&PQclear)> result{
      PQexec(conn.get(), ("CREATE DATABASE " + std::string{quoted.get()}).c_str()), &PQclear};
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK)
    throw std::runtime_error("CREATE DATABASE " + db + ": " + PQresultErrorMessage(result.get()));
  return url(db);
}

postgres_server* shared_postgres_server(std::string* why_not) {
  // Tried once: a server that cannot start will not start for the next test either, and each
  // try costs seconds.
  static std::string reason;
  static const std::unique_ptr<postgres_server> server = postgres_server::start(&reason);
  if (!server)
    tell(why_not, reason);
  return server.get();
}

} // namespace baikal::test
