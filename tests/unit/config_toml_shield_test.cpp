// toml++ 3.3.0 cannot look up most characters of three Unicode blocks when it asks whether a
// character is whitespace (undefined behaviour). Configs move them out of its way and back:
// such a character outside a string is a parse error naming its place, inside a string it
// reads back unchanged, and no text reaches the undefined lookup (the sanitizer builds check).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "messages/errors.hpp"
#include "runtime/config/agent_config.hpp"
#include "runtime/config/scaling_group.hpp"
#include "runtime/config/toml_shield.hpp"

using namespace baikal;

namespace {

// U+00A1 (first block), U+0433 (Cyrillic, first block), U+3001 (second), U+FE50 (third),
// U+00E9 (first block): all characters toml++ 3.3.0 cannot answer for.
const std::string inverted_bang = "\xc2\xa1";
const std::string cyrillic_ge = "\xd0\xb3";
const std::string ideographic_comma = "\xe3\x80\x81";
const std::string small_comma = "\xef\xb9\x90";
const std::string e_acute = "\xc3\xa9";

} // namespace

TEST_CASE("toml shield: the moved characters come back unchanged, others are left alone") {
  auto text = "a = \"" + inverted_bang + cyrillic_ge + ideographic_comma + small_comma + e_acute +
              " \xe3\x80\x80 \xc2\xa0 ok\"\n";
  auto shielded = shield_toml_text(text);
  REQUIRE_FALSE(shielded.problem);
  CHECK(shielded.text != text);
  CHECK(shielded.text.find(inverted_bang) == std::string::npos);
  // U+3000 and U+00A0 are whitespace toml++ knows: not moved.
  CHECK(shielded.text.find("\xe3\x80\x80") != std::string::npos);
  CHECK(shielded.text.find("\xc2\xa0") != std::string::npos);
  CHECK(unshield_toml_string(shielded.text) == text);
  // Malformed UTF-8 passes byte for byte, for toml++ to refuse.
  CHECK(shield_toml_text("a = \"\xc3\"\n").text == "a = \"\xc3\"\n");
}

TEST_CASE("toml shield: a text holding the private-use characters the move produces is refused "
          "with its place") {
  auto bad = shield_toml_text("# fine\nid = \"x\xf3\xb0\x82\xa1\"\n"); // U+F00A1
  REQUIRE(bad.problem);
  CHECK(bad.problem->line == 2);
  CHECK(bad.problem->column == 8);
  CHECK(bad.problem->what.find("private-use") != std::string::npos);
  auto cfg = parse_agent_config("id = \"x\xf3\xb0\x82\xa1\"\n", "agent.toml");
  REQUIRE_FALSE(cfg);
  CHECK(message_of(cfg.error()).find("agent.toml at line 1, column 8") != std::string::npos);
}

TEST_CASE("toml shield: such a character outside a string is a parse error naming its place") {
  std::vector<std::string> texts{
      "[agent]\nid = 1" + inverted_bang + "\n",
      "[agent]\nid = 1b'''x" + cyrillic_ge + "0\n",
      "[ma0nager]\nhe= 579-2507-T07:['''\xef\xbb\xbf"
      "e}6'''",
      "caf" + e_acute + " = 1\n",
  };
  for (auto& where : texts) {
    INFO(where);
    auto cfg = parse_agent_config(where, "agent.toml");
    REQUIRE_FALSE(cfg);
    CHECK(code_of(cfg.error()) == errc::invalid_argument);
    CHECK(message_of(cfg.error()).find("agent.toml at line") != std::string::npos);
    // The message shows the user's character, not the moved one.
    CHECK(message_of(cfg.error()).find("\xf3\xb0") == std::string::npos);
  }
  auto edited = set_scaling_group("[agent]\nscaling-group = x" + inverted_bang + "\n", "gpu");
  REQUIRE_FALSE(edited);
  CHECK(message_of(edited.error()).find("line 2") != std::string::npos);
}

TEST_CASE("toml shield: strings, keys and comments with such characters read back exactly") {
  auto text = "# caf" + e_acute + " " + inverted_bang + "\n[agent]\nid = \"caf" + e_acute +
              cyrillic_ge + "\"\nscaling-group = '''" + ideographic_comma + "'''\n[extra]\n\"" +
              small_comma + "\" = 1\n";
  auto cfg = parse_agent_config(text, "agent.toml");
  REQUIRE_MESSAGE(cfg, message_of(cfg.error()));
  CHECK(cfg->id == "caf" + e_acute + cyrillic_ge);
  CHECK(cfg->scaling_group == ideographic_comma);
  REQUIRE(cfg->ignored_keys.size() == 1);
  CHECK(cfg->ignored_keys[0] == "extra." + small_comma);

  // The scaling group edit keeps the file and reads back with the new group.
  auto edited = set_scaling_group(text, "gr" + cyrillic_ge);
  REQUIRE_MESSAGE(edited, message_of(edited.error()));
  auto again = parse_agent_config(*edited, "agent.toml");
  REQUIRE(again);
  CHECK(again->scaling_group == "gr" + cyrillic_ge);
  CHECK(again->id == cfg->id);
}

TEST_CASE("toml shield: a multi-line basic string's line-ending backslash before such a "
          "character reads") {
  auto cfg = parse_agent_config("[agent]\nid = \"\"\"a\\\n   " + inverted_bang + "b\"\"\"\n",
                                "agent.toml");
  REQUIRE_MESSAGE(cfg, message_of(cfg.error()));
  CHECK(cfg->id == "a" + inverted_bang + "b");
}
