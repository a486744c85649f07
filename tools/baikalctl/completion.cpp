#include "tools/baikalctl/completion.hpp"

#include <set>

#include <CLI/CLI.hpp>

#include "tools/baikalctl/ctl_app.hpp"

namespace baikal::ctl {

namespace {

/// What the script needs to know, gathered from the CLI11 description.
struct completion_data {
  std::string steps;            ///< case arms: "PATH:WORD") path="NEW PATH" ;;
  std::string words;            ///< case arms: "PATH") words="..." options="..." ;;
  std::set<std::string> valued; ///< options that take a value (their value is skipped)
  std::string values;           ///< case arms: --option) values="..." ;;
};

std::string option_words(const CLI::App& app, completion_data& data) {
  std::string out;
  for (auto* opt : app.get_options()) {
    if (!opt->nonpositional())
      continue;
    for (auto& l : opt->get_lnames()) {
      out += " --" + l;
      if (opt->get_expected_max() != 0)
        data.valued.insert("--" + l);
    }
    for (auto& s : opt->get_snames())
      out += " -" + s;
  }
  return out;
}

/// Walks `app` (at `path`), adding its subcommands and options to `data`; `inherited` are the
/// options of the commands above it, which it takes too.
void walk(const CLI::App& app, const std::string& path, const std::string& inherited,
          completion_data& data) {
  // --help and --version belong to the root; a command's own --help is the same word.
  auto options = inherited.empty() ? option_words(app, data) : inherited;
  if (!inherited.empty())
    for (auto* opt : app.get_options())
      if (opt->nonpositional() && opt->get_name() != "--help")
        for (auto& l : opt->get_lnames()) {
          options += " --" + l;
          if (opt->get_expected_max() != 0)
            data.valued.insert("--" + l);
        }
  std::string words;
  for (auto* sub : app.get_subcommands({})) {
    auto sub_path = path.empty() ? sub->get_name() : path + " " + sub->get_name();
    std::vector<std::string> names{sub->get_name()};
    for (auto& a : sub->get_aliases())
      names.push_back(a);
    for (auto& n : names) {
      words += " " + n;
      data.steps += "    \"" + path + ":" + n + "\") path=\"" + sub_path + "\" ;;\n";
    }
    walk(*sub, sub_path, options, data);
  }
  if (path == "completion")
    words += " bash zsh";
  data.words += "  \"" + path + "\") words=\"" + words.substr(words.empty() ? 0 : 1) +
                "\" options=\"" + options.substr(options.empty() ? 0 : 1) + "\" ;;\n";
}

std::string choice_values() {
  std::set<std::string> seen;
  std::string out;
  auto add = [&](const option_spec& o) {
    if (o.kind != value_kind::choice || !seen.insert(o.name).second)
      return;
    std::string list;
    for (auto& c : o.choices)
      list += (list.empty() ? "" : " ") + c;
    out += "  " + o.name + ") COMPREPLY=($(compgen -W \"" + list + "\" -- \"$cur\")); return ;;\n";
  };
  for (auto& o : global_options())
    add(o);
  for (auto& c : command_table())
    for (auto& o : c.options)
      add(o);
  return out;
}

std::string bash_script() {
  auto app = make_ctl_app();
  completion_data data;
  walk(*app, "", "", data);
  std::string valued;
  for (auto& v : data.valued)
    valued += (valued.empty() ? "" : "|") + v;
  return "# bash completion for baikalctl: source <(baikalctl completion bash)\n"
         "_baikalctl() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
         "  local path=\"\" words=\"\" options=\"\" w i\n"
         "  COMPREPLY=()\n"
         "  # The command's words typed so far; an option's value is skipped.\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    w=\"${COMP_WORDS[i]}\"\n"
         "    [[ \"$w\" == \"--\" ]] && return 0 # the code follows\n"
         "    case \"$w\" in\n"
         "    " +
         valued +
         ") ((i++)); continue ;;\n"
         "    esac\n"
         "    case \"$path:$w\" in\n" +
         data.steps +
         "    esac\n"
         "  done\n"
         "  case \"$prev\" in\n" +
         choice_values() +
         "  --token-file) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
         "  " +
         valued +
         ") return ;;\n"
         "  esac\n"
         "  case \"$path\" in\n" +
         data.words +
         "  esac\n"
         "  # Options once a dash is typed, else the commands (or files, by -o default).\n"
         "  [[ \"$cur\" == -* ]] && words=\"$options\"\n"
         "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         "}\n"
         "complete -o default -F _baikalctl baikalctl\n";
}

} // namespace

std::string completion_script(const std::string& shell) {
  if (shell == "bash")
    return bash_script();
  if (shell == "zsh")
    return "#compdef baikalctl\n"
           "# zsh completion for baikalctl: source <(baikalctl completion zsh)\n"
           "autoload -U +X bashcompinit && bashcompinit\n" +
           bash_script();
  return {};
}

} // namespace baikal::ctl
