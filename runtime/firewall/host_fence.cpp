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

std::vector<std::string> with_op(const char* op, const fence_rule& rule,
                                 const char* position = nullptr) {
  std::vector<std::string> args{op, rule.chain};
  if (position)
    args.emplace_back(position);
  args.insert(args.end(), rule.args.begin(), rule.args.end());
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

/// One of Baikal's fence rules read from an `iptables -S` line: its words (quotes removed) and
/// the device it fences.
struct listed_rule {
  std::vector<std::string> words; ///< "-A", chain, arguments
  std::string device;
};

std::vector<listed_rule> listed_fence_rules(std::string_view listing) {
  std::vector<listed_rule> out;
  std::istringstream lines{std::string{listing}};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words{line};
    listed_rule rule;
    for (std::string word; words >> word;)
      rule.words.push_back(unquoted(word));
    auto& w = rule.words;
    if (w.size() < 2 || w[0] != "-A")
      continue;
    if (w[1] != "INPUT" && w[1] != "FORWARD" && w[1] != apart_chain)
      continue;
    // The device is what comes in on INPUT and FORWARD, what goes out in the apart chain.
    const char* device_flag = w[1] == apart_chain ? "-o" : "-i";
    bool ours = false;
    for (size_t i = 2; i + 1 < w.size(); ++i) {
      if (w[i] == device_flag && (i == 2 || w[i - 1] != "!"))
        rule.device = w[i + 1];
      else if (w[i] == "--comment" && w[i + 1] == fence_comment)
        ours = true;
    }
    if (ours && !rule.device.empty())
      out.push_back(std::move(rule));
  }
  return out;
}

caf::expected<std::string> list_rules() {
  auto listing = iptables({"-S"});
  if (!listing)
    return listing.error();
  if (listing->exit_code != 0)
    return failed("cannot list the kernel fences", *listing);
  return listing->output;
}

/// Deletes one listed rule; a rule already gone (exit code 1) is no error.
caf::error delete_rule(const listed_rule& rule) {
  auto args = rule.words;
  args[0] = "-D";
  auto del = iptables(args);
  if (!del)
    return del.error();
  if (del->exit_code != 0 && del->exit_code != 1)
    return failed("cannot remove the kernel fence of " + rule.device, *del);
  return caf::none;
}

/// Makes the apart chain unless it is there.
caf::error ensure_apart_chain() {
  auto make = iptables({"-N", apart_chain});
  if (!make)
    return make.error();
  if (make->exit_code == 0)
    return caf::none;
  auto list = iptables({"-S", apart_chain}); // another agent may have made it meanwhile
  if (!list)
    return list.error();
  if (list->exit_code != 0)
    return failed(std::string{"cannot make the chain "} + apart_chain, *make);
  return caf::none;
}

} // namespace

std::vector<fence_rule> fence_rules(const std::string& device) {
  std::vector<std::string> comment{"-m", "comment", "--comment", fence_comment};
  // Refused at once (ECONNREFUSED), where a drop would leave the kernel's code waiting.
  std::vector<std::string> reject{"-j", "REJECT", "--reject-with", "icmp-port-unreachable"};
  fence_rule host{"INPUT", {"-i", device}};
  // Whatever is no answer to the host: new connections, and packets conntrack cannot place.
  host.args.insert(host.args.end(), {"-m", "conntrack", "!", "--ctstate", "RELATED,ESTABLISHED"});
  host.args.insert(host.args.end(), comment.begin(), comment.end());
  host.args.insert(host.args.end(), reject.begin(), reject.end());
  fence_rule leaving{"FORWARD", {"-i", device, "!", "-o", device}};
  leaving.args.insert(leaving.args.end(), comment.begin(), comment.end());
  leaving.args.insert(leaving.args.end(), {"-j", apart_chain});
  fence_rule arriving{apart_chain, {"-o", device}};
  arriving.args.insert(arriving.args.end(), comment.begin(), comment.end());
  arriving.args.insert(arriving.args.end(), reject.begin(), reject.end());
  return {host, leaving, arriving};
}

std::vector<std::string> fenced_devices(std::string_view listing) {
  std::vector<std::string> out;
  for (auto& rule : listed_fence_rules(listing))
    if (std::find(out.begin(), out.end(), rule.device) == out.end())
      out.push_back(rule.device);
  return out;
}

bool device_exists(const std::string& device) {
  return ::if_nametoindex(device.c_str()) != 0;
}

caf::error ensure_fence(const std::string& device) {
  // The apart chain's rule first, so that no jump into the chain finds it without the device.
  auto rules = fence_rules(device);
  std::reverse(rules.begin(), rules.end());
  for (auto& rule : rules) {
    auto check = iptables(with_op("-C", rule));
    if (!check)
      return check.error();
    if (check->exit_code == 0)
      continue;
    if (check->exit_code != 1) // 1: no such rule (or chain); anything else is iptables failing
      return failed("cannot check the kernel fence of " + device, *check);
    bool in_apart_chain = rule.chain == apart_chain;
    if (in_apart_chain)
      if (auto err = ensure_apart_chain())
        return err;
    auto add = in_apart_chain ? iptables(with_op("-A", rule)) : iptables(with_op("-I", rule, "1"));
    if (!add)
      return add.error();
    if (add->exit_code != 0)
      return failed("cannot fence kernels on " + device + " off this host and other bridges", *add);
  }
  return caf::none;
}

caf::error remove_fence(const std::string& device) {
  auto listing = list_rules();
  if (!listing)
    return listing.error();
  for (auto& rule : listed_fence_rules(*listing))
    if (rule.device == device)
      if (auto err = delete_rule(rule))
        return err;
  return caf::none;
}

caf::expected<std::vector<std::string>> sweep_fences() {
  auto listing = list_rules();
  if (!listing)
    return listing.error();
  std::vector<std::string> removed;
  // The jumps before the chain's rules: `iptables -S` lists INPUT and FORWARD first.
  for (auto& rule : listed_fence_rules(*listing)) {
    if (device_exists(rule.device))
      continue;
    if (auto err = delete_rule(rule))
      return err;
    if (std::find(removed.begin(), removed.end(), rule.device) == removed.end())
      removed.push_back(rule.device);
  }
  return removed;
}

} // namespace baikal::firewall
