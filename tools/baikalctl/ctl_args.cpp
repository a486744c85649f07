#include "tools/baikalctl/ctl_args.hpp"

#include <algorithm>
#include <sstream>

#include <CLI/CLI.hpp>

#include "tools/baikalctl/ctl_app.hpp"

namespace baikal::ctl {

namespace {

// -- what went wrong, as the user reads it --

ctl_parse_result usage_error(const std::string& message) {
  ctl_parse_result out;
  out.err = message;
  out.exit_code = 2;
  return out;
}

/// Edits (insert, delete, replace) that turn `a` into `b`.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// "unknown option --cpus (did you mean --cpu?)": an option silently taken as a flag would be
/// ignored, and the user would never learn that their setting did nothing.
std::string unknown_option(const std::string& given, const command_spec* command) {
  auto name = given.substr(0, given.find('='));
  std::vector<std::string> known{"--help", "--version", "--output"};
  for (auto* set : {command ? &command->options : nullptr, &global_options()})
    if (set)
      for (auto& o : *set)
        known.push_back(o.name);
  std::string best;
  size_t best_distance = 3; // more edits than this is no likely typo
  for (auto& k : known)
    if (auto d = edit_distance(name, k); d < best_distance) {
      best = k;
      best_distance = d;
    }
  return "unknown option " + name + (best.empty() ? "" : " (did you mean " + best + "?)");
}

// -- before CLI11 reads the line --

/// Refuses "--wait=yes" (CLI11 would take it as true) and spells "--token=" as "--token" ""
/// (CLI11 would take the next argument as its value).
std::optional<std::string> normalize(std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (auto& a : args) {
    auto eq = a.find('=');
    if (a.rfind("--", 0) != 0 || eq == std::string::npos) {
      out.push_back(a);
      continue;
    }
    auto name = a.substr(0, eq);
    bool is_flag = name == "--help" || name == "--version";
    for (auto& c : command_table())
      if (auto* o = find_option(&c, name); o && o->kind == value_kind::flag)
        is_flag = true;
    if (is_flag)
      return name + " takes no value";
    if (eq + 1 < a.size()) {
      out.push_back(a); // CLI11 reads "--name=value" itself
      continue;
    }
    out.push_back(name);
    out.push_back("");
  }
  args = std::move(out);
  return std::nullopt;
}

/// "--name: 1 required TEXT missing" (CLI11's words) as "--name needs a value".
std::string describe(const CLI::ParseError& e) {
  std::string what = e.what();
  auto colon = what.find(": ");
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) && colon != std::string::npos &&
      what.find(" required ") != std::string::npos)
    return what.substr(0, colon) + " needs a value";
  if (dynamic_cast<const CLI::RequiredError*>(&e) && what.size() > 12 &&
      what.compare(what.size() - 12, 12, " is required") == 0)
    return "missing " + what.substr(0, what.size() - 12);
  return what;
}

// -- after CLI11 has read it --

/// The subcommands chosen, root first.
std::vector<const CLI::App*> chosen_chain(const CLI::App& root) {
  std::vector<const CLI::App*> out{&root};
  while (!out.back()->get_subcommands().empty())
    out.push_back(out.back()->get_subcommands().front());
  return out;
}

/// "session create" for the chain root, session, create.
std::string path_of(const std::vector<const CLI::App*>& chain) {
  std::string out;
  for (size_t i = 1; i < chain.size(); ++i)
    out += (i > 1 ? " " : "") + chain[i]->get_name();
  return out;
}

/// The help of the last command of `chain`, with its full name in the usage line.
std::string help_of(const std::vector<const CLI::App*>& chain) {
  std::string prev;
  for (size_t i = 0; i + 1 < chain.size(); ++i)
    prev += (i ? " " : "") + chain[i]->get_name();
  return chain.back()->help(prev);
}

/// Fills `out` with the options given to `node`; answers the first bad value.
std::string collect(const CLI::App& node, const command_spec* command, ctl_args& out) {
  for (auto* opt : node.get_options()) {
    if (opt->count() == 0 || opt->get_name() == "--help")
      continue;
    auto name = opt->get_name();
    if (!opt->nonpositional()) {
      for (auto& v : opt->results())
        out.words.push_back(v);
      continue;
    }
    auto* spec = find_option(command, name);
    if (!spec || spec->kind == value_kind::flag) {
      out.flags.push_back(name);
      continue;
    }
    for (auto& v : opt->results()) {
      if (auto problem = value_problem(*spec, v); !problem.empty())
        return problem;
      out.options.emplace(name, v);
    }
  }
  return {};
}

/// What is left over that no command or option took: an unknown option, command or argument.
std::optional<ctl_parse_result> leftovers(const CLI::App& root, const std::string& path,
                                          const CLI::App& last, const command_spec* command) {
  auto rest = root.remaining(true);
  for (auto& r : rest)
    if (r.size() > 1 && r[0] == '-')
      return usage_error(unknown_option(r, command));
  if (rest.empty())
    return std::nullopt;
  if (!command || !last.get_subcommands({}).empty())
    return usage_error("unknown command \"" + (path.empty() ? "" : path + " ") + rest.front() +
                       "\"");
  return usage_error("unexpected argument \"" + rest.front() +
                     "\" (usage: " + command_usage(*command) + ")");
}

std::optional<ctl_parse_result> check_code(const command_spec& command, const ctl_args& args) {
  if (command.code == code_use::required && !args.code)
    return usage_error(command.path +
                       " needs the code after \"--\" (usage: " + command_usage(command) + ")");
  if (command.code == code_use::none && args.code)
    return usage_error(command.path + " takes no code after \"--\"");
  return std::nullopt;
}

/// The code to run from the arguments after "--": one argument is the code as written ("echo
/// hi; exit 3"); several are a command and its arguments, as docker exec takes them: each
/// stays one word, whatever it holds.
std::string code_of(const std::vector<std::string>& args) {
  if (args.size() == 1)
    return args.front();
  std::string code;
  for (auto& a : args)
    code += (code.empty() ? "" : " ") + shell_word(a);
  return code;
}

} // namespace

bool ctl_args::flag(const std::string& name) const {
  return std::find(flags.begin(), flags.end(), name) != flags.end();
}

std::string ctl_args::option(const std::string& name, const std::string& fallback) const {
  auto [lo, hi] = options.equal_range(name);
  return lo == hi ? fallback : std::prev(hi)->second;
}

std::vector<std::string> ctl_args::all(const std::string& name) const {
  std::vector<std::string> out;
  auto [lo, hi] = options.equal_range(name);
  for (auto i = lo; i != hi; ++i)
    out.push_back(i->second);
  return out;
}

ctl_parse_result parse_ctl_args(const std::vector<std::string>& argv) {
  auto split = std::find(argv.begin(), argv.end(), "--");
  std::vector<std::string> line{argv.begin(), split};
  if (auto problem = normalize(line))
    return usage_error(*problem);
  auto app = make_ctl_app();
  std::reverse(line.begin(), line.end()); // CLI11 reads the vector from its back
  try {
    app->parse(line);
  } catch (const CLI::CallForHelp&) {
    ctl_parse_result out;
    out.out = app->help();
    return out;
  } catch (const CLI::CallForVersion& e) {
    ctl_parse_result out;
    out.out = std::string{e.what()} + "\n";
    return out;
  } catch (const CLI::ParseError& e) {
    auto* command = find_command(path_of(chosen_chain(*app)));
    auto message = describe(e);
    if (dynamic_cast<const CLI::RequiredError*>(&e) && command)
      message += " (usage: " + command_usage(*command) + ")";
    return usage_error(message);
  }
  auto chain = chosen_chain(*app);
  auto path = path_of(chain);
  auto* command = find_command(path);
  if (auto bad = leftovers(*app, path, *chain.back(), command))
    return *bad;
  if (!command)
    return usage_error((path.empty() ? std::string{"a command is needed"}
                                     : "\"" + path + "\" needs one of its commands") +
                       "\n" + help_of(chain));
  ctl_args args;
  args.command = path;
  for (size_t i = 1; i < chain.size(); ++i)
    args.words.push_back(chain[i]->get_name());
  if (split != argv.end()) {
    args.code_args.assign(split + 1, argv.end());
    args.code = code_of(args.code_args);
  }
  for (auto* node : chain)
    if (auto problem = collect(*node, command, args); !problem.empty()) {
      ctl_parse_result out;
      out.err = problem + " (invalid_argument)";
      out.exit_code = 1;
      return out;
    }
  if (auto bad = check_code(*command, args))
    return *bad;
  args.json = args.flag("--json") || args.option("--output") == "json";
  args.output = args.json ? "json" : args.option("--output", "table");
  ctl_parse_result out;
  out.args = std::move(args);
  return out;
}

std::string ctl_help(const std::string& path) {
  auto app = make_ctl_app();
  std::vector<const CLI::App*> chain{app.get()};
  std::istringstream words{path};
  for (std::string w; words >> w;) {
    auto subs = chain.back()->get_subcommands([&](const CLI::App* a) { return a->check_name(w); });
    if (subs.empty())
      return {};
    chain.push_back(subs.front());
  }
  return help_of(chain);
}

} // namespace baikal::ctl
