#include "runtime/config/scaling_group.hpp"

#include <cstdio>
#include <vector>

#include "messages/errors.hpp"
#include "runtime/config/atomic_file.hpp"
#include "runtime/config/toml.hpp"
#include "runtime/config/toml_parse.hpp"

namespace baikal {

namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos)
    return {};
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// The name of a table header line ("[agent]" -> "agent", "[ agent ] # x" -> "agent");
// "" when the line is not a header. Array-of-tables headers get a "[[" marker so they
// never equal "agent".
std::string header_name(const std::string& line) {
  auto t = trim(line);
  if (t.empty() || t[0] != '[')
    return {};
  bool array = t.size() > 1 && t[1] == '[';
  auto close = t.find(']');
  if (close == std::string::npos)
    return {};
  auto name = trim(t.substr(array ? 2 : 1, close - (array ? 2 : 1)));
  if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'') &&
      name.back() == name.front())
    name = name.substr(1, name.size() - 2);
  return array ? "[[" + name : name;
}

// The key of a `key = value` line with whitespace and quotes removed ("" when none).
std::string key_of(const std::string& line, size_t& eq) {
  auto t = line.find_first_not_of(" \t");
  if (t == std::string::npos || line[t] == '#' || line[t] == '[')
    return {};
  eq = line.find('=');
  if (eq == std::string::npos)
    return {};
  std::string key;
  for (size_t i = t; i < eq; ++i)
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '"' && line[i] != '\'')
      key += line[i];
  return key;
}

// What follows a string value on its line (" # comment"), "" when nothing or unparsable.
std::string rest_after_value(const std::string& line, size_t eq) {
  auto v = line.find_first_not_of(" \t", eq + 1);
  if (v == std::string::npos || (line[v] != '"' && line[v] != '\''))
    return {};
  size_t end = v + 1;
  for (; end < line.size(); ++end) {
    if (line[v] == '"' && line[end] == '\\') {
      ++end;
      continue;
    }
    if (line[end] == line[v])
      break;
  }
  if (end >= line.size())
    return {};
  auto rest = line.substr(end + 1);
  auto first = rest.find_first_not_of(" \t\r");
  return first == std::string::npos || rest[first] == '#' ? rest : std::string{};
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string::npos)
      nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

caf::error refused_edit() {
  return make_error(errc::invalid_argument,
                    "Cannot set agent.scaling-group in this file safely; edit it by hand");
}

// Parses the edited text back: it must equal the original with only agent.scaling-group
// changed. This catches what a line edit cannot see, such as a look-alike line inside a
// multi-line string.
caf::expected<std::string> checked(const std::string& original, std::string edited,
                                   const std::string& group) {
  auto original_shielded = shield_toml_text(original);
  auto edited_shielded = shield_toml_text(edited);
  try {
    if (original_shielded.problem || edited_shielded.problem)
      return refused_edit();
    auto expected = toml::parse(original_shielded.text);
    auto actual = toml::parse(edited_shielded.text);
    if (!expected["agent"].is_table())
      expected.insert_or_assign("agent", toml::table{});
    expected["agent"].as_table()->insert_or_assign("scaling-group", shield_toml_text(group).text);
    if (expected == actual)
      return edited;
  } catch (const toml::parse_error&) {
  }
  return refused_edit();
}

} // namespace

std::string toml_quoted(const std::string& group) {
  std::string out = "\"";
  for (unsigned char c : group) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + '"';
}

caf::expected<std::string> set_scaling_group(const std::string& toml_text,
                                             const std::string& group) {
  if (group.empty())
    return make_error(errc::invalid_argument, "The scaling group name must not be empty");
  if (auto parsed = parse_toml(toml_text); !parsed.table)
    return make_error(errc::invalid_argument, "The agent config is not valid TOML (line " +
                                                  std::to_string(parsed.problem.line) +
                                                  "): " + parsed.problem.what);
  auto lines = split_lines(toml_text);
  std::string table; // the table the current line belongs to; "" before any header
  int agent_header = -1;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (auto name = header_name(lines[i]); !name.empty()) {
      table = name;
      if (table == "agent" && agent_header < 0)
        agent_header = static_cast<int>(i);
      continue;
    }
    size_t eq = 0;
    auto key = key_of(lines[i], eq);
    if ((table == "agent" && key == "scaling-group") ||
        (table.empty() && key == "agent.scaling-group")) {
      auto indent = lines[i].substr(0, lines[i].find_first_not_of(" \t"));
      auto written_key = trim(lines[i].substr(0, eq));
      lines[i] = indent + written_key + " = " + toml_quoted(group) + rest_after_value(lines[i], eq);
      agent_header = -2; // done
      break;
    }
  }
  auto line = "scaling-group = " + toml_quoted(group);
  if (agent_header >= 0)
    lines.insert(lines.begin() + agent_header + 1, line);
  else if (agent_header == -1)
    lines.insert(lines.end(), {"", "[agent]", line});
  std::string out;
  for (auto& l : lines)
    out += l + '\n';
  if (!toml_text.empty() && toml_text.back() != '\n' && agent_header == -2)
    out.pop_back(); // keep a file without a final newline as it was
  return checked(toml_text, std::move(out), group);
}

caf::error update_scaling_group(const std::string& config_path, const std::string& group) {
  auto original = read_whole_file(config_path);
  if (!original)
    return original.error();
  auto edited = set_scaling_group(*original, group);
  if (!edited)
    return edited.error();
  // The backup must be complete before the original changes: a crash in between leaves
  // the old file in place and a good copy beside it.
  if (auto err = write_file_atomically(config_path + ".bak", *original))
    return err;
  return write_file_atomically(config_path, *edited);
}

} // namespace baikal
