// `sfmc-scan completion bash|zsh|fish`: shell completion scripts written from the
// command-line definition itself (every subcommand, option and option value the
// parser knows), so they cannot drift from the binary. The build installs their
// output; a user with a copied binary can run the command.
#include <functional>
#include <iostream>
#include <regex>
#include <sstream>

#include "cli/cli_common.hpp"

namespace sfmc::cli {

namespace {

struct OptionSpec {
  std::vector<std::string> names;  // "-o", "--output"
  std::string description;
  bool takes_value = false;
  std::vector<std::string> choices;  // empty with takes_value: any value (a path, a number)
};

struct CommandSpec {
  std::string path;  // "" for the top level, "scan", "hook install"
  std::string description;
  // What a shell completes as the next word: subcommands, and the fixed values of a
  // positional argument (`completion bash`). Name, description.
  std::vector<std::pair<std::string, std::string>> subcommands;
  std::vector<std::string> commands;  // of those, the real subcommands
  std::vector<std::pair<std::string, std::string>> arguments;  // positional: name, description
  std::vector<OptionSpec> options;
};

// IsMember validators show up in the type name as "{a,b,c}".
std::vector<std::string> choices_of(const CLI::Option& o) {
  std::vector<std::string> out;
  static const std::regex set(R"(\{([^}]*)\})");
  std::smatch m;
  std::string type = o.get_type_name();
  if (!std::regex_search(type, m, set)) return out;
  std::stringstream items(m[1].str());
  for (std::string item; std::getline(items, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

void collect(const CLI::App& app, const std::string& path, std::vector<CommandSpec>& out) {
  CommandSpec spec{path, app.get_description(), {}, {}, {}, {}};
  std::vector<const CLI::App*> children = app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
  for (const CLI::App* sub : children) {
    spec.subcommands.emplace_back(sub->get_name(), sub->get_description());
    spec.commands.push_back(sub->get_name());
  }
  for (const CLI::Option* o : app.get_options()) {
    // A positional argument with a fixed set of values (`completion bash|zsh|fish`) is
    // completed as the words a command takes next.
    if (o->get_positional()) {
      for (const std::string& choice : choices_of(*o)) spec.subcommands.emplace_back(choice, o->get_description());
      spec.arguments.emplace_back(o->get_name(), o->get_description());
      continue;
    }
    if (o->get_group().empty()) continue;
    OptionSpec opt;
    for (const std::string& s : o->get_snames()) opt.names.push_back("-" + s);
    for (const std::string& l : o->get_lnames()) opt.names.push_back("--" + l);
    if (opt.names.empty()) continue;
    opt.description = o->get_description();
    opt.takes_value = o->get_items_expected_max() > 0;  // flags expect no items
    if (opt.takes_value) opt.choices = choices_of(*o);
    spec.options.push_back(std::move(opt));
  }
  out.push_back(std::move(spec));
  for (const CLI::App* sub : children) collect(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

// Text inside single quotes, for sh-like shells and fish alike.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out + "'";
}

std::string fish_quoted(const std::string& s) {  // fish has no '\'' idiom: it escapes inside quotes
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "'";
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

// The lookup functions both sh-like scripts share: subcommands, options, and what an
// option's value is ("<any>" for a path or a number, else the choices).
void write_sh_tables(std::ostream& os, const std::vector<CommandSpec>& commands, bool with_descriptions) {
  os << "_sfmc_scan_subcommands() {\n  case \"$1\" in\n";
  for (const CommandSpec& c : commands) {
    if (c.subcommands.empty()) continue;
    os << "    " << quoted(c.path) << ")";
    if (with_descriptions) {
      os << " print -rl --";
      for (const auto& [name, desc] : c.subcommands) os << ' ' << quoted(name + ":" + desc);
    } else {
      std::vector<std::string> names;
      for (const auto& s : c.subcommands) names.push_back(s.first);
      os << " echo " << quoted(joined(names));
    }
    os << " ;;\n";
  }
  os << "  esac\n}\n";
  os << "_sfmc_scan_options() {\n  case \"$1\" in\n";
  for (const CommandSpec& c : commands) {
    os << "    " << quoted(c.path) << ")";
    if (with_descriptions) {
      os << " print -rl --";
      for (const OptionSpec& o : c.options)
        for (const std::string& n : o.names) os << ' ' << quoted(n + ":" + o.description);
    } else {
      std::vector<std::string> names;
      for (const OptionSpec& o : c.options) names.insert(names.end(), o.names.begin(), o.names.end());
      os << " echo " << quoted(joined(names));
    }
    os << " ;;\n";
  }
  os << "  esac\n}\n";
  os << "_sfmc_scan_value_of() {\n  case \"$1 $2\" in\n";
  for (const CommandSpec& c : commands)
    for (const OptionSpec& o : c.options) {
      if (!o.takes_value) continue;
      std::string patterns;
      for (const std::string& n : o.names) {
        if (!patterns.empty()) patterns += '|';
        patterns += quoted(c.path + " " + n);
      }
      os << "    " << patterns << ") echo " << quoted(o.choices.empty() ? "<any>" : joined(o.choices)) << " ;;\n";
    }
  os << "  esac\n}\n";
}

void write_bash(std::ostream& os, const std::vector<CommandSpec>& commands) {
  os << "# bash completion for sfmc-scan. Generated by `sfmc-scan completion bash`: do not edit.\n";
  write_sh_tables(os, commands, false);
  os << R"sh(_sfmc_scan() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd='' word values i
  # "--format=sa" arrives as "--format" "=" "sa" (= is in COMP_WORDBREAKS).
  if [[ $prev == '=' && $COMP_CWORD -ge 2 ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi
  [[ $cur == '=' ]] && cur=''
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      # Skip an option's value so it is not taken for a subcommand.
      [[ $word != *=* && -n $(_sfmc_scan_value_of "$cmd" "$word") ]] && ((i++))
      continue
    fi
    [[ " $(_sfmc_scan_subcommands "$cmd") " == *" $word "* ]] && cmd=${cmd:+$cmd }$word
  done
  COMPREPLY=()
  if [[ $prev == -* ]]; then
    values=$(_sfmc_scan_value_of "$cmd" "$prev")
    # Any value: let readline complete file names (-o default).
    [[ $values == '<any>' ]] && return
    if [[ -n $values ]]; then
      mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
      return
    fi
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_sfmc_scan_options "$cmd")" -- "$cur")
    return
  fi
  values=$(_sfmc_scan_subcommands "$cmd")
  [[ -n $values ]] && mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
}
complete -o default -F _sfmc_scan sfmc-scan
)sh";
}

void write_zsh(std::ostream& os, const std::vector<CommandSpec>& commands) {
  os << "#compdef sfmc-scan\n# zsh completion for sfmc-scan. Generated by `sfmc-scan completion zsh`: do not edit.\n";
  write_sh_tables(os, commands, true);
  os << R"sh(_sfmc-scan() {
  local cmd='' word prev=${words[CURRENT-1]} values i
  local -a subs opts
  for (( i = 2; i < CURRENT; i++ )); do
    word=${words[i]}
    if [[ $word == -* ]]; then
      [[ $word != *=* && -n $(_sfmc_scan_value_of "$cmd" "$word") ]] && (( i++ ))
      continue
    fi
    subs=(${(f)"$(_sfmc_scan_subcommands "$cmd")"})
    (( ${subs[(I)${(b)word}:*]} )) && cmd=${cmd:+$cmd }$word
  done
  if [[ $prev == -* ]]; then
    values=$(_sfmc_scan_value_of "$cmd" "$prev")
    if [[ $values == '<any>' ]]; then _files; return; fi
    if [[ -n $values ]]; then compadd -- ${=values}; return; fi
  fi
  if [[ $PREFIX == -* ]]; then
    opts=(${(f)"$(_sfmc_scan_options "$cmd")"})
    _describe -t options option opts
    return
  fi
  subs=(${(f)"$(_sfmc_scan_subcommands "$cmd")"})
  if (( $#subs )); then _describe -t commands command subs; else _files; fi
}
_sfmc-scan "$@"
)sh";
}

void write_fish(std::ostream& os, const std::vector<CommandSpec>& commands) {
  os << "# fish completion for sfmc-scan. Generated by `sfmc-scan completion fish`: do not edit.\n";
  os << "function __sfmc_scan_subcommands\n    switch \"$argv[1]\"\n";
  for (const CommandSpec& c : commands) {
    if (c.subcommands.empty()) continue;
    os << "        case " << fish_quoted(c.path) << "\n            printf '%s\\n'";
    for (const auto& s : c.subcommands) os << ' ' << fish_quoted(s.first);
    os << '\n';
  }
  os << "    end\nend\n";
  os << R"sh(# The subcommand path typed so far ("", "scan", "hook install").
function __sfmc_scan_command
    set -l path ''
    for word in (commandline -opc)[2..-1]
        string match -q -- '-*' $word; and continue
        if contains -- $word (__sfmc_scan_subcommands $path)
            set path (string trim -- "$path $word")
        end
    end
    echo $path
end
function __sfmc_scan_is
    test (__sfmc_scan_command) = "$argv[1]"
end
)sh";
  for (const CommandSpec& c : commands) {
    std::string when = "-n " + fish_quoted("__sfmc_scan_is " + quoted(c.path));
    for (const auto& [name, desc] : c.subcommands)
      os << "complete -c sfmc-scan " << when << " -f -a " << fish_quoted(name) << " -d " << fish_quoted(desc) << '\n';
    for (const OptionSpec& o : c.options) {
      os << "complete -c sfmc-scan " << when;
      for (const std::string& n : o.names) os << (n.rfind("--", 0) == 0 ? " -l " + n.substr(2) : " -s " + n.substr(1));
      if (o.takes_value) os << (o.choices.empty() ? " -r -F" : " -x -a " + fish_quoted(joined(o.choices)));
      os << " -d " << fish_quoted(o.description) << '\n';
    }
  }
}

// Text for roff in fill mode: backslashes and hyphens escaped (a bare "-" may print as a
// typographic hyphen and break a copied option), no line starting with a control
// character.
std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
    line_start = c == '\n';
  }
  return out;
}

// The man page's COMMANDS section: each command's description, arguments and options
// as tagged paragraphs, which man fills to the reader's width (the --help text in
// no-fill blocks ran past 80 columns).
void write_man_commands(std::ostream& os, const std::vector<CommandSpec>& commands) {
  for (const CommandSpec& c : commands) {
    os << ".SS \"" << roff(c.path.empty() ? "sfmc-scan" : "sfmc-scan " + c.path) << "\"\n";
    if (!c.description.empty()) os << roff(c.description) << "\n";
    if (!c.commands.empty()) {
      std::string list;
      for (const std::string& name : c.commands) list += (list.empty() ? "" : ", ") + name;
      os << ".PP\nCommands: " << roff(list) << ".\n";
    }
    for (const auto& [name, description] : c.arguments) os << ".TP\n.I " << roff(name) << "\n" << roff(description) << "\n";
    for (const OptionSpec& o : c.options) {
      std::string names;
      for (const std::string& n : o.names) names += (names.empty() ? "" : ", ") + n;
      os << ".TP\n\\fB" << roff(names) << "\\fR";
      std::string values;
      for (const std::string& v : o.choices) values += (values.empty() ? "" : "|") + v;
      if (o.takes_value) os << " \\fI" << roff(values.empty() ? "VALUE" : values) << "\\fR";
      os << "\n" << roff(o.description) << "\n";
    }
  }
}

}  // namespace

void register_completion(CLI::App& app, int& exit_status) {
  auto shell = std::make_shared<std::string>();
  CLI::App* c = app.add_subcommand("completion", "Print a shell completion script (bash, zsh or fish)");
  c->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  c->callback([&app, shell, &exit_status] {
    std::vector<CommandSpec> commands;
    collect(app, "", commands);
    if (*shell == "bash") write_bash(std::cout, commands);
    else if (*shell == "zsh") write_zsh(std::cout, commands);
    else write_fish(std::cout, commands);
    exit_status = std::cout.good() ? 0 : static_cast<int>(ExitCode::error);
  });
  // Hidden (no group): what cmake/man_page.cmake builds the man page's COMMANDS from.
  CLI::App* m = app.add_subcommand("man-page", "Print the man page's COMMANDS section (roff)")->group("");
  m->callback([&app, &exit_status] {
    std::vector<CommandSpec> commands;
    collect(app, "", commands);
    write_man_commands(std::cout, commands);
    exit_status = std::cout.good() ? 0 : static_cast<int>(ExitCode::error);
  });
}

}  // namespace sfmc::cli
