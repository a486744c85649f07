#include "tools/baikalctl/command_table.hpp"

namespace baikal::ctl {

namespace {

using k = value_kind;

// -- options shared by several commands --

const option_spec output_option{
    "--output", k::choice,
    "FORMAT",   "table (the default), wide (more columns) or json (the API's JSON, as --json)",
    false,      {"table", "wide", "json"}};

const option_spec timeout_option{"--timeout", k::seconds, "S",
                                 "wait at most S seconds (run --batch: default 600)"};

/// The options of a new session (session create, run).
std::vector<option_spec> session_options() {
  return {
      {"--name", k::text, "NAME", "the session's name"},
      {"--cpu", k::number, "CPUS", "CPUs for each kernel (0.5, 2, ...)"},
      {"--mem", k::size, "SIZE", "memory for each kernel in bytes, or with k, m or g (512m, 2g)"},
      {"--env", k::key_value, "KEY=VALUE", "an environment variable of the kernels", true},
      {"--mount", k::mount, "FOLDER[:ro]",
       "bind the storage folder FOLDER at /home/work/FOLDER (read-only with :ro)", true},
      {"--cluster-size", k::count, "N", "kernels in the session (1 or more)"},
      {"--cluster-mode",
       k::choice,
       "MODE",
       "single-node or multi-node",
       false,
       {"single-node", "multi-node"}},
      {"--network-type",
       k::choice,
       "TYPE",
       "volatile, persistent or host",
       false,
       {"volatile", "persistent", "host"}},
      {"--network-id", k::text, "ID", "the network of a persistent network type"},
      {"--idle-timeout", k::seconds, "S",
       "terminate it after S seconds without activity (0: never; default: the manager's)"},
      {"--scaling-group", k::text, "GROUP", "place its kernels on agents of GROUP"},
  };
}

std::vector<option_spec> run_options() {
  auto out = session_options();
  out.push_back(timeout_option);
  out.push_back({"--keep", k::flag, "", "keep the session afterwards (default: delete it)"});
  out.push_back({"--batch", k::flag, "",
                 "make a batch session that runs the command once RUNNING, and wait until it "
                 "ends; the session stays with its result and logs"});
  out.push_back({"--batch-timeout", k::seconds, "S", "end the batch command after S seconds"});
  return out;
}

std::vector<option_spec> create_options() {
  auto out = session_options();
  out.push_back({"--wait", k::flag, "", "print the id once the session runs"});
  out.push_back(timeout_option);
  return out;
}

const positional_spec session_arg{"SESSION", "a session id or name"};

} // namespace

const std::vector<option_spec>& global_options() {
  static const std::vector<option_spec> out = {
      {"--api", k::text, "URL[,URL...]",
       "the manager's API (default http://127.0.0.1:8090); several managers' URLs, comma "
       "separated: the one that leads is used"},
      {"--token", k::text, "TOKEN", "the API token"},
      {"--token-file", k::text, "FILE", "read the API token from FILE"},
      {"--cacert", k::text, "FILE",
       "the CA that signed the API's certificate, for https:// (default: the system's CAs)"},
      {"--cert", k::text, "FILE", "a client certificate, for an API that asks for one"},
      {"--key", k::text, "FILE", "the key of the --cert certificate"},
      {"--profile", k::text, "NAME", "the [profiles.NAME] table of the config file"},
      {"--json", k::flag, "", "print the API's JSON instead of tables, for scripts"},
  };
  return out;
}

const std::vector<group_spec>& command_groups() {
  static const std::vector<group_spec> out = {
      {"session", "create, list, show and delete sessions"},
      {"folders", "storage folders, kept across sessions"},
      {"agents", "the agents and their slots; drain and undrain them"},
      {"images", "the images sessions are created from; images on the agents"},
  };
  return out;
}

const std::vector<command_spec>& command_table() {
  static const std::vector<command_spec> out = {
      {"run",
       "create a session, wait until it runs, run CODE, print its output, delete the session "
       "(unless --keep) and exit with CODE's exit code",
       {{"IMAGE", "the image of the session"}},
       run_options(),
       code_use::required},
      {"session create",
       "print the new session's id once its images are on its agents (--wait: once it runs; "
       "--json: at once, the API's answer)",
       {{"IMAGE", "the image of the session"}},
       create_options()},
      {"session ls",
       "your sessions, oldest first",
       {},
       {{"--status", k::text, "STATUS", "only the sessions in STATUS (RUNNING, ...)"},
        {"--limit", k::count, "N", "at most N; the id to pass as --after is printed on stderr"},
        {"--after", k::text, "SESSION_ID", "the sessions after this one"},
        output_option},
       code_use::none,
       {"list"}},
      {"session show", "one session: status and why, kernels, error info", {session_arg}},
      {"session history", "every status the session went through, when and why", {session_arg}},
      {"session rm",
       "terminate sessions",
       {{"SESSION", "session ids or names", true, true}},
       {},
       code_use::none,
       {"delete"}},
      {"exec",
       "run CODE in a running session; exits with CODE's exit code",
       {session_arg},
       {{"--mode", k::choice, "MODE", "query (the default) or batch", false, {"query", "batch"}}},
       code_use::required},
      {"cp",
       "copy a file: FILE SESSION:PATH uploads (PATH under /home/work), SESSION:PATH DEST "
       "downloads (DEST may be a directory)",
       {{"SOURCE", "FILE or SESSION:PATH"}, {"DEST", "SESSION:PATH or a local path"}},
       {{"--tar", k::flag, "", "download the archive the API sends, as it is"}}},
      {"files",
       "list a directory of the session",
       {session_arg, {"PATH", "a directory under /home/work (default .)", false}},
       {output_option},
       code_use::none,
       {"ls"}},
      {"logs",
       "the main kernel's container logs",
       {session_arg},
       {{"--follow",
         k::flag,
         "",
         "and the lines written after, as they come, until the session "
         "ends",
         false,
         {},
         "-f"}}},
      {"shell",
       "an interactive shell in the session's main kernel, on a terminal (as docker exec -it: "
       "keys, Ctrl-C and window size go through); exits with the shell's exit code",
       {session_arg}},
      {"app",
       "start a service of the session (httpd, ...) and print the URL that reaches it through "
       "the manager (with your token as the bearer)",
       {session_arg, {"SERVICE", "the service's name"}}},
      {"folders create", "make a storage folder (letters, digits, -_. ; up to 64)", {{"NAME", ""}}},
      {"folders ls", "your storage folders", {}, {output_option}, code_use::none, {"list"}},
      {"folders rm",
       "delete a folder and its files (refused while a live session mounts it)",
       {{"NAME", ""}},
       {},
       code_use::none,
       {"delete"}},
      {"agents", "the agents and their slots", {}, {output_option}},
      {"agents drain",
       "the agent gets no new kernels; its running sessions stay (admin only)",
       {{"AGENT", "the agent's id"}}},
      {"agents undrain",
       "the agent takes new kernels again; waiting sessions are placed (admin only)",
       {{"AGENT", "the agent's id"}}},
      {"images", "the images sessions may be created from", {}, {output_option}},
      {"images purge",
       "delete images on an agent",
       {{"AGENT", "the agent's id"}, {"IMAGE", "images to delete", true, true}},
       {{"--force", k::flag, "", "delete images that containers use"},
        {"--noprune", k::flag, "", "keep untagged parents"}}},
      {"events",
       "follow the event stream (one JSON per line; --json: each with its id and event name)",
       {},
       {{"--session", k::text, "SESSION_ID", "only this session's events"},
        {"--type", k::text, "T1,T2",
         "only these types (kernel_started, kernel_terminated, "
         "image_pull, ...)"}}},
      {"completion",
       "print a completion script: source <(baikalctl completion bash)",
       {{"SHELL", "bash or zsh"}}},
  };
  return out;
}

std::string help_footer() {
  return R"(
Run "baikalctl COMMAND --help" for a command's options. A command's words may come first and its
options anywhere; everything after "--" is the code: one argument is the code as written,
several are a command whose arguments each stay one shell word.

Settings: --api, --token and --token-file win over $BAIKAL_API_URL and $BAIKAL_TOKEN, which
win over the profile (--profile or $BAIKAL_PROFILE) and then the top-level keys of
$XDG_CONFIG_HOME/baikal/config.toml (default ~/.config/baikal/config.toml): api, token,
token_file, cacert, and [profiles.NAME] tables with the same keys.

While images are pulled, run and session create show the progress on stderr (a redrawn line on
a terminal, a line every few seconds otherwise); cp shows its transfer on a terminal.
Exit codes: 2 for a bad command line, 1 for a bad value or a failed call, else the code's own.
)";
}

} // namespace baikal::ctl
