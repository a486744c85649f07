#include "tools/baikalctl/ctl_args.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <vector>

namespace baikal::ctl {

namespace {

const std::set<std::string> value_options = {
    "--api",     "--token",         "--name",         "--cpu",          "--mem",
    "--env",     "--cluster-size",  "--cluster-mode", "--network-type", "--network-id",
    "--mode",    "--timeout",       "--path",         "--run-id",       "--idle-timeout",
    "--mount",   "--batch-timeout", "--status",       "--limit",        "--after",
    "--session", "--type"};

/// The options that take no value (--json aside).
const std::set<std::string> flag_options = {"--batch", "--follow",  "--force", "--help",
                                            "--keep",  "--noprune", "--tar",   "--wait"};

/// Edits (insert, delete, replace) that turn `a` into `b`.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// "unknown option --cpus (did you mean --cpu?)": an option silently taken as a flag would be
/// ignored, and the user would never learn that their setting did nothing.
std::string unknown_option(const std::string& name) {
  std::string best;
  size_t best_distance = 3; // more edits than this is no likely typo
  for (auto* set : {&value_options, &flag_options})
    for (auto& known : *set)
      if (auto d = edit_distance(name, known); d < best_distance) {
        best = known;
        best_distance = d;
      }
  return "unknown option " + name + (best.empty() ? "" : " (did you mean " + best + "?)");
}

/// `text` as one word of a POSIX shell: as is when nothing in it is special, else in single
/// quotes.
std::string shell_word(const std::string& text) {
  static const std::string plain =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=/.,:@%";
  if (!text.empty() && text.find_first_not_of(plain) == std::string::npos)
    return text;
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string{v} : fallback;
}

} // namespace

bool ctl_args::flag(const std::string& name) const {
  return std::find(flags.begin(), flags.end(), name) != flags.end();
}

std::string ctl_args::option(const std::string& name, const std::string& fallback) const {
  auto i = options.find(name);
  return i == options.end() ? fallback : i->second;
}

std::vector<std::string> ctl_args::all(const std::string& name) const {
  std::vector<std::string> out;
  auto [lo, hi] = options.equal_range(name);
  for (auto i = lo; i != hi; ++i)
    out.push_back(i->second);
  return out;
}

std::optional<mount_option> parse_mount_option(const std::string& text, std::string& error) {
  mount_option out;
  auto colon = text.rfind(':');
  out.folder = text.substr(0, colon);
  if (colon != std::string::npos)
    out.mode = text.substr(colon + 1);
  if (out.folder.empty() || (out.mode != "rw" && out.mode != "ro")) {
    error = "--mount needs NAME, NAME:rw or NAME:ro, not \"" + text + "\"";
    return std::nullopt;
  }
  return out;
}

std::optional<ctl_args> parse_ctl_args(int argc, char** argv, std::string& error) {
  ctl_args out;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      // One argument is the code as written ("echo hi; exit 3"); several are a command and its
      // arguments, as docker exec takes them: each stays one word, whatever it holds.
      std::string code;
      if (argc - i - 1 == 1)
        code = argv[i + 1];
      else
        for (int j = i + 1; j < argc; ++j)
          code += (j > i + 1 ? " " : "") + shell_word(argv[j]);
      out.code = code;
      break;
    }
    if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
      auto eq = arg.find('=');
      auto name = arg.substr(0, eq);
      if (value_options.count(name)) {
        if (eq != std::string::npos) {
          out.options.emplace(name, arg.substr(eq + 1));
        } else if (i + 1 < argc) {
          out.options.emplace(name, argv[++i]);
        } else {
          error = name + " needs a value";
          return std::nullopt;
        }
      } else if (name == "--json") {
        out.json = true;
      } else if (flag_options.count(name) && eq == std::string::npos) {
        out.flags.push_back(name);
      } else {
        error = flag_options.count(name) ? name + " takes no value" : unknown_option(name);
        return std::nullopt;
      }
      continue;
    }
    if (arg == "-h")
      out.flags.push_back("--help");
    else if (arg == "-f")
      out.flags.push_back("--follow");
    else
      out.words.push_back(arg);
  }
  out.api_url = out.option("--api", env_or("BAIKAL_API_URL", "http://127.0.0.1:8090"));
  out.token = out.option("--token", env_or("BAIKAL_TOKEN", ""));
  return out;
}

std::string ctl_usage() {
  return R"(usage: baikalctl [--api URL] [--token TOKEN] [--json] COMMAND ...

  run IMAGE [--name N] [--cpu C] [--mem BYTES] [--env K=V]... [--mount FOLDER[:ro]]...
            [--timeout S] [--keep] -- CODE
                         create a session, wait until it runs, run CODE, print its output,
                         delete the session (unless --keep) and exit with CODE's exit code
  run --batch IMAGE [--batch-timeout S] [session create options] [--timeout S] -- COMMAND...
                         create a batch session that runs COMMAND once RUNNING, wait until
                         it ends (--timeout: at most S seconds, default 600), print its
                         output and exit with COMMAND's exit code; a batch-timeout or a
                         failure exits 1 with the reason on stderr. The session stays,
                         TERMINATED or ERROR, with its result and logs
  session create IMAGE [--name N] [--cpu C] [--mem BYTES] [--env K=V]... [--cluster-size N]
                 [--cluster-mode single-node|multi-node] [--network-type T] [--network-id ID]
                 [--idle-timeout S] [--mount FOLDER[:ro]]... [--wait] [--timeout S]
                         print the new session's id once its images are on its agents
                         (--wait: once it runs; --json: at once, the API's answer);
                         --idle-timeout: terminate it after S seconds without activity
                         (execute, files, services; 0: never; default: the manager's);
                         --mount binds your storage folder at /home/work/FOLDER
                         (read-write, or read-only with :ro)
  session ls [--status S] [--limit N] [--after SESSION_ID]
                         your sessions, oldest first (--status: only those in status S;
                         --limit: at most N, and the id to pass as --after for the next
                         page is printed on stderr)
  session show SESSION   one session: status and why, kernels, error info
  session history SESSION
                         every status the session went through, when and why
  session rm SESSION     terminate a session
  exec SESSION [--mode query|batch] -- CODE
                         run CODE in a running session; exits with CODE's exit code
  cp FILE SESSION:PATH   upload a file to the session (PATH under /home/work)
  cp SESSION:PATH DEST   download a file (DEST may be a directory); --tar keeps the archive
  files SESSION [PATH]   list a directory of the session
  logs SESSION [-f|--follow]
                         the main kernel's container logs (-f: and the lines written after,
                         as they come, until the session ends)
  app SESSION SERVICE    start a service of the session (httpd, ...) and print the URL that
                         reaches it through the manager (with your token as the bearer)
  folders create NAME    make a storage folder (letters, digits, -_. ; up to 64)
  folders ls             your storage folders
  folders rm NAME        delete a folder and its files (refused while a live session
                         mounts it)
  agents                 the agents and their slots
  agents drain AGENT     the agent gets no new kernels; its running sessions stay (admin only)
  agents undrain AGENT   the agent takes new kernels again; waiting sessions are placed
  images purge AGENT IMAGE... [--force] [--noprune]
  events [--session SESSION_ID] [--type T1,T2]
                         follow the event stream (one JSON per line; --json: each with its
                         id and event name); --session: one session's events only; --type:
                         those types only (kernel_started, kernel_terminated, image_pull, ...)

SESSION is a session id or name. The API is $BAIKAL_API_URL (default http://127.0.0.1:8090)
and the token $BAIKAL_TOKEN, unless --api / --token say otherwise. --json prints the API's
JSON instead of tables, for scripts. While images are pulled, run and session create show
the progress on stderr (a redrawn line on a terminal, a line every few seconds otherwise).
)";
}

} // namespace baikal::ctl
