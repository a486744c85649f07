// agent.toml as the agent reads it, and as update_scaling_group edits it: any text is a config
// or an error with a message, and an edit that succeeds reads back with the new group.

#include "runtime/config/agent_config.hpp"
#include "messages/errors.hpp"
#include "runtime/config/scaling_group.hpp"
#include "tests/fuzz/fuzz_input.hpp"

BAIKAL_FUZZ_TARGET {
  using namespace baikal;
  fuzz::input in{data, size};
  std::string group;
  for (size_t n = in.byte() % 32; n > 0; --n)
    group.push_back(static_cast<char>(in.byte()));
  std::string text{in.rest()};

  auto cfg = parse_agent_config(text, "agent.toml");
  if (!cfg && message_of(cfg.error()).empty())
    fuzz::broken("a config error without a message");
  if (cfg && cfg->port_range_first > cfg->port_range_last)
    fuzz::broken("a port range that ends before it starts");

  auto edited = set_scaling_group(text, group);
  if (edited && cfg) {
    auto again = parse_agent_config(*edited, "agent.toml");
    if (again && again->scaling_group != group)
      fuzz::broken("an edited config does not read back with the new scaling group");
  }
  return 0;
}
