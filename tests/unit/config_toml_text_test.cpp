// TOML texts that toml++ 3.3.0 cannot parse safely (a non-ASCII character where it asks whether
// a character is whitespace) are refused with their place before toml++ sees them; non-ASCII
// text in strings and comments still reads.

#include <doctest/doctest.h>

#include <string>

#include "messages/errors.hpp"
#include "runtime/config/agent_config.hpp"
#include "runtime/config/scaling_group.hpp"
#include "runtime/config/toml_text_check.hpp"

using namespace baikal;

TEST_CASE("toml text: a non-ASCII character outside strings and comments is refused with its "
          "line and column") {
  auto bad = unsafe_toml_text("[agent]\nid = 1\xc2\xa1\n");
  REQUIRE(bad);
  CHECK(bad->line == 2);
  CHECK(bad->column == 7);
  CHECK(bad->what.find("non-ASCII") != std::string::npos);

  auto key = unsafe_toml_text("caf\xc3\xa9 = 1\n");
  REQUIRE(key);
  CHECK(key->line == 1);
  CHECK(key->column == 4);
}

TEST_CASE("toml text: non-ASCII characters in strings and comments are left to toml++") {
  CHECK(!unsafe_toml_text("# caf\xc3\xa9 \xc2\xa1\nid = \"caf\xc3\xa9\"\n"));
  CHECK(!unsafe_toml_text("id = 'caf\xc3\xa9'\ngroup = '''\n\xc2\xa1\n'''\n"));
  CHECK(!unsafe_toml_text("id = \"\"\"\ncaf\xc3\xa9 \\\" \xc2\xa1\"\"\"\nx = 1\n"));
  // An escaped quote does not end a string.
  CHECK(!unsafe_toml_text("id = \"a\\\"\xc2\xa1\"\n"));
}

TEST_CASE("toml text: a quote inside a bare value opens no string, so what follows is checked") {
  // toml++ reads `1b'''x` as one unterminated value and asks about every character of it.
  auto bad = unsafe_toml_text("a = 1b'''x\xc9\xbc"
                              "0\n");
  REQUIRE(bad);
  CHECK(bad->line == 1);
  CHECK(bad->column == 11);
  CHECK(unsafe_toml_text("a = 1\"\xc2\xa1\"\n"));
  CHECK(unsafe_toml_text("a = \"x\" \"\xc2\xa1\"\n"));
  // Where a quote does open a string: keys, values, arrays, inline tables, dotted keys.
  for (const char* text :
       {"\"caf\xc3\xa9\" = 1\n", "a = [\"\xc2\xa1\", '\xc2\xa1']\n", "b = { c = \"\xc2\xa1\" }\n",
        "a.\"caf\xc3\xa9\" = 1\n", "[\"caf\xc3\xa9\"]\nx = 1\n"}) {
    INFO(text);
    CHECK(!unsafe_toml_text(text));
    auto cfg = parse_agent_config(text, "agent.toml"); // toml++ reads them without harm
    CHECK((cfg || !message_of(cfg.error()).empty()));
  }
}

TEST_CASE("toml text: in a multi-line basic string, a non-ASCII character after a backslash or "
          "after a line-ending backslash's blanks is refused") {
  auto after_trim = unsafe_toml_text("id = \"\"\"a\\\n   \xc2\xa1\"\"\"\n");
  REQUIRE(after_trim);
  CHECK(after_trim->line == 2);
  CHECK(after_trim->column == 4);
  CHECK(after_trim->what.find("line-ending backslash") != std::string::npos);
  CHECK(unsafe_toml_text("id = \"\"\"a\\\xc2\xa1\"\"\"\n"));
  // The same text after the string is closed is outside any string.
  CHECK(unsafe_toml_text("id = \"\"\"a\"\"\" \xc2\xa1\n"));
}

TEST_CASE("toml text: agent.toml and the scaling group edit refuse such a text naming the place") {
  auto cfg = parse_agent_config("[agent]\nid = 1\xc2\xa1\n", "agent.toml");
  REQUIRE(!cfg);
  CHECK(code_of(cfg.error()) == errc::invalid_argument);
  CHECK(message_of(cfg.error()).find("agent.toml at line 2, column 7") != std::string::npos);

  auto edited = set_scaling_group("[agent]\nscaling-group = x\xc2\xa1\n", "gpu");
  REQUIRE(!edited);
  CHECK(message_of(edited.error()).find("line 2") != std::string::npos);

  auto fine =
      parse_agent_config("[agent]\nid = \"agent-7\" # caf\xc3\xa9 \xc2\xa1\n", "agent.toml");
  REQUIRE_MESSAGE(fine, message_of(fine.error()));
  CHECK(fine->id == "agent-7");
}
