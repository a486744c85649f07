#include "runtime/firewall/host_fence.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "messages/errors.hpp"

extern char** environ;

namespace baikal::firewall {

namespace {

constexpr const char* chain = "INPUT";

/// At most this many copies of one rule are removed: agents racing on one device add a few.
constexpr int max_copies = 32;

struct command_result {
  int exit_code = -1;
  std::string output; ///< stdout and stderr together
};

/// Runs iptables with `args` (waiting up to 10 s for the xtables lock) and collects its output.
caf::expected<command_result> iptables(const std::vector<std::string>& args) {
  std::vector<std::string> full{"iptables", "-w", "10"};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : full)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return make_error(errc::runtime_error, std::string{"pipe: "} + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return make_error(errc::runtime_error,
                      std::string{"cannot run iptables: "} + std::strerror(rc) +
                          " (the agent needs it, as root, to keep kernels off this host)");
  }
  command_result out;
  char buf[4096];
  for (;;) {
    auto n = ::read(fds[0], buf, sizeof buf);
    if (n > 0)
      out.output.append(buf, static_cast<size_t>(n));
    else if (n == 0 || errno != EINTR)
      break;
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::vector<std::string> with_chain(const char* op, const std::vector<std::string>& rule,
                                    const char* position = nullptr) {
  std::vector<std::string> args{op, chain};
  if (position)
    args.emplace_back(position);
  args.insert(args.end(), rule.begin(), rule.end());
  return args;
}

caf::error failed(const std::string& what, const command_result& res) {
  auto text = res.output;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return make_error(errc::runtime_error,
                    what + ": iptables exited with " + std::to_string(res.exit_code) + ": " + text);
}

std::string unquoted(std::string word) {
  if (word.size() >= 2 && word.front() == '"' && word.back() == '"')
    return word.substr(1, word.size() - 2);
  return word;
}

} // namespace

std::vector<std::string> fence_rule(const std::string& device) {
  std::vector<std::string> rule{"-i", device};
  // Whatever is no answer to the host: new connections, and packets conntrack cannot place.
  rule.insert(rule.end(), {"-m", "conntrack", "!", "--ctstate", "RELATED,ESTABLISHED"});
  rule.insert(rule.end(), {"-m", "comment", "--comment", fence_comment});
  // Refused at once (ECONNREFUSED), where a drop would leave the kernel's code waiting.
  rule.insert(rule.end(), {"-j", "REJECT", "--reject-with", "icmp-port-unreachable"});
  return rule;
}

std::vector<std::string> fenced_devices(std::string_view listing) {
  std::vector<std::string> out;
  std::istringstream lines{std::string{listing}};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words{line};
    std::vector<std::string> w;
    for (std::string word; words >> word;)
      w.push_back(unquoted(word));
    if (w.size() < 2 || w[0] != "-A" || w[1] != chain)
      continue;
    std::string device;
    bool ours = false;
    for (size_t i = 2; i + 1 < w.size(); ++i) {
      if (w[i] == "-i")
        device = w[i + 1];
      else if (w[i] == "--comment" && w[i + 1] == fence_comment)
        ours = true;
    }
    if (ours && !device.empty() && std::find(out.begin(), out.end(), device) == out.end())
      out.push_back(device);
  }
  return out;
}

bool device_exists(const std::string& device) {
  return ::if_nametoindex(device.c_str()) != 0;
}

caf::error ensure_fence(const std::string& device) {
  auto rule = fence_rule(device);
  auto check = iptables(with_chain("-C", rule));
  if (!check)
    return check.error();
  if (check->exit_code == 0)
    return caf::none;
  if (check->exit_code != 1) // 1: no such rule; anything else is iptables failing
    return failed("cannot check the kernel fence of " + device, *check);
  auto add = iptables(with_chain("-I", rule, "1"));
  if (!add)
    return add.error();
  if (add->exit_code != 0)
    return failed("cannot fence kernels on " + device + " off this host", *add);
  return caf::none;
}

caf::error remove_fence(const std::string& device) {
  auto rule = fence_rule(device);
  for (int i = 0; i < max_copies; ++i) {
    auto del = iptables(with_chain("-D", rule));
    if (!del)
      return del.error();
    if (del->exit_code == 1) // no (more) such rule
      return caf::none;
    if (del->exit_code != 0)
      return failed("cannot remove the kernel fence of " + device, *del);
  }
  return caf::none;
}

caf::expected<std::vector<std::string>> sweep_fences() {
  auto listing = iptables({"-S", chain});
  if (!listing)
    return listing.error();
  if (listing->exit_code != 0)
    return failed("cannot list the kernel fences", *listing);
  std::vector<std::string> removed;
  for (auto& device : fenced_devices(listing->output)) {
    if (device_exists(device))
      continue;
    if (auto err = remove_fence(device))
      return err;
    removed.push_back(device);
  }
  return removed;
}

} // namespace baikal::firewall
