// The host fence's rules as iptables arguments, and reading them back from `iptables -S`. The
// docker tests run the real iptables (a kernel's connection to its host refused).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/firewall/host_fence.hpp"

using namespace baikal::firewall;

TEST_CASE("host fence: the rule rejects what comes from the device unless the host asked") {
  auto rule = fence_rule("br-0123456789ab");
  std::string text;
  for (auto& word : rule)
    text += (text.empty() ? "" : " ") + word;
  CHECK(text == "-i br-0123456789ab -m conntrack ! --ctstate RELATED,ESTABLISHED -m comment "
                "--comment baikal-kernel-fence -j REJECT --reject-with icmp-port-unreachable");
}

TEST_CASE("host fence: the devices of Baikal's rules are read from iptables -S, each once") {
  auto listing = "-P INPUT ACCEPT\n"
                 "-A INPUT -i br-aaa -m conntrack ! --ctstate RELATED,ESTABLISHED -m comment "
                 "--comment baikal-kernel-fence -j REJECT --reject-with icmp-port-unreachable\n"
                 "-A INPUT -i docker0 -j ACCEPT\n"
                 "-A INPUT -i br-bbb -m comment --comment \"baikal-kernel-fence\" -j REJECT\n"
                 "-A INPUT -i br-aaa -m conntrack ! --ctstate RELATED,ESTABLISHED -m comment "
                 "--comment baikal-kernel-fence -j REJECT --reject-with icmp-port-unreachable\n"
                 "-A INPUT -i br-ccc -m comment --comment other -j REJECT\n"
                 "-A FORWARD -i br-ddd -m comment --comment baikal-kernel-fence -j REJECT\n";
  CHECK(fenced_devices(listing) == std::vector<std::string>{"br-aaa", "br-bbb"});
  CHECK(fenced_devices("").empty());
}

TEST_CASE("host fence: a device of another network namespace does not exist here") {
  CHECK(device_exists("lo"));
  CHECK_FALSE(device_exists("bk-no-such-dev"));
}
