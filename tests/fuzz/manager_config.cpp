// manager.toml as the manager reads it: any text is a config or an error naming what is wrong.

#include "tools/baikal-manager/manager_config.hpp"
#include "messages/errors.hpp"
#include "tests/fuzz/fuzz_input.hpp"

BAIKAL_FUZZ_TARGET {
  using namespace baikal;
  auto cfg =
      parse_manager_config(std::string{reinterpret_cast<const char*>(data), size}, "manager.toml");
  if (!cfg && message_of(cfg.error()).empty())
    fuzz::broken("a config error without a message");
  return 0;
}
