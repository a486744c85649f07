// The host fence's rules as iptables arguments, and reading them back from `iptables -S`. The
// docker tests run the real iptables (a kernel's connection to its host or to a kernel on
// another bridge refused).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/firewall/host_fence.hpp"

using namespace baikal::firewall;

namespace {

std::string text_of(const fence_rule& rule) {
  std::string text = rule.chain;
  for (auto& word : rule.args)
    text += " " + word;
  return text;
}

} // namespace

TEST_CASE("host fence: a device's rules reject what it starts toward the host and toward "
          "other fenced devices") {
  auto rules = fence_rules("br-0123456789ab");
  REQUIRE(rules.size() == 3);
  CHECK(text_of(rules[0]) ==
        "INPUT -i br-0123456789ab -m conntrack ! --ctstate RELATED,ESTABLISHED -m comment "
        "--comment baikal-kernel-fence -j REJECT --reject-with icmp-port-unreachable");
  CHECK(text_of(rules[1]) == "FORWARD -i br-0123456789ab ! -o br-0123456789ab -m comment "
                             "--comment baikal-kernel-fence -j BAIKAL-KERNELS-APART");
  CHECK(text_of(rules[2]) ==
        "BAIKAL-KERNELS-APART -o br-0123456789ab -m comment --comment baikal-kernel-fence -j "
        "REJECT --reject-with icmp-port-unreachable");
}

TEST_CASE("host fence: the devices of Baikal's rules are read from iptables -S, each once") {
  auto listing = "-P INPUT ACCEPT\n"
                 "-P FORWARD DROP\n"
                 "-N BAIKAL-KERNELS-APART\n"
                 "-A INPUT -i br-aaa -m conntrack ! --ctstate RELATED,ESTABLISHED -m comment "
                 "--comment baikal-kernel-fence -j REJECT --reject-with icmp-port-unreachable\n"
                 "-A INPUT -i docker0 -j ACCEPT\n"
                 "-A INPUT -i br-bbb -m comment --comment \"baikal-kernel-fence\" -j REJECT\n"
                 "-A INPUT -i br-aaa -m conntrack ! --ctstate RELATED,ESTABLISHED -m comment "
                 "--comment baikal-kernel-fence -j REJECT --reject-with icmp-port-unreachable\n"
                 "-A INPUT -i br-ccc -m comment --comment other -j REJECT\n"
                 "-A FORWARD -i br-ddd ! -o br-ddd -m comment --comment baikal-kernel-fence -j "
                 "BAIKAL-KERNELS-APART\n"
                 "-A FORWARD -i br-eee -j ACCEPT\n"
                 "-A OUTPUT -o br-fff -m comment --comment baikal-kernel-fence -j REJECT\n"
                 "-A BAIKAL-KERNELS-APART -o br-ggg -m comment --comment baikal-kernel-fence -j "
                 "REJECT --reject-with icmp-port-unreachable\n";
  CHECK(fenced_devices(listing) ==
        std::vector<std::string>{"br-aaa", "br-bbb", "br-ddd", "br-ggg"});
  CHECK(fenced_devices("").empty());
}

TEST_CASE("host fence: a device of another network namespace does not exist here") {
  CHECK(device_exists("lo"));
  CHECK_FALSE(device_exists("bk-no-such-dev"));
}
