// Reads rules/*.toml into RuleSet. Field names follow gitleaks where one exists
// (id, description, regex, keywords) so users recognise them.
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/sha256.hpp"
#include "rules/rule.hpp"

namespace fs = std::filesystem;

namespace sfmc {

std::size_t ChecksumSpec::width() const {
  switch (encoding) {
    case Encoding::hex_lower:
    case Encoding::hex_upper:
    case Encoding::hex_any: return 8;
    case Encoding::base62: return 6;
    case Encoding::decimal: return 10;
  }
  return 8;
}

const Rule* RuleSet::find(std::string_view id) const {
  for (const Rule& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

namespace {

[[noreturn]] void fail(const std::string& origin, const std::string& rule_id, const std::string& what) {
  std::string where = origin;
  if (!rule_id.empty()) where += ": rule '" + rule_id + "'";
  throw RuleError(where + ": " + what);
}

std::string get_string(const toml::table& t, std::string_view key, const std::string& origin,
                       const std::string& id, bool required) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) fail(origin, id, "missing required field '" + std::string(key) + "'");
    return {};
  }
  if (auto s = n->value<std::string>()) return *s;
  fail(origin, id, "field '" + std::string(key) + "' must be a string");
}

std::vector<std::string> get_strings(const toml::table& t, std::string_view key,
                                     const std::string& origin, const std::string& id) {
  std::vector<std::string> out;
  const toml::node* n = t.get(key);
  if (!n) return out;
  const toml::array* a = n->as_array();
  if (!a) fail(origin, id, "field '" + std::string(key) + "' must be an array of strings");
  for (const toml::node& e : *a) {
    auto s = e.value<std::string>();
    if (!s) fail(origin, id, "field '" + std::string(key) + "' must hold only strings");
    out.push_back(*s);
  }
  return out;
}

ChecksumSpec parse_checksum(const toml::table& t, const std::string& origin, const std::string& id) {
  ChecksumSpec c;
  std::string alg = get_string(t, "algorithm", origin, id, true);
  if (alg == "crc32") c.algorithm = ChecksumSpec::Algorithm::crc32;
  else if (alg == "adler32") c.algorithm = ChecksumSpec::Algorithm::adler32;
  else fail(origin, id, "checksum.algorithm '" + alg + "' is not one of crc32, adler32");

  std::string enc = get_string(t, "encoding", origin, id, true);
  if (enc == "hex-lower") c.encoding = ChecksumSpec::Encoding::hex_lower;
  else if (enc == "hex-upper") c.encoding = ChecksumSpec::Encoding::hex_upper;
  else if (enc == "hex") c.encoding = ChecksumSpec::Encoding::hex_any;
  else if (enc == "base62") c.encoding = ChecksumSpec::Encoding::base62;
  else if (enc == "decimal") c.encoding = ChecksumSpec::Encoding::decimal;
  else fail(origin, id, "checksum.encoding '" + enc + "' is not one of hex-lower, hex-upper, hex, base62, decimal");

  std::string covers = get_string(t, "covers", origin, id, false);
  if (covers.empty() || covers == "prefix+body") c.covers = ChecksumSpec::Coverage::prefix_and_body;
  else if (covers == "body") c.covers = ChecksumSpec::Coverage::body;
  else fail(origin, id, "checksum.covers '" + covers + "' is not one of prefix+body, body");
  return c;
}

std::vector<RuleExample> parse_examples(const toml::table& t, std::string_view key,
                                        const std::string& origin, const std::string& id) {
  std::vector<RuleExample> out;
  const toml::node* n = t.get(key);
  if (!n) return out;
  const toml::array* a = n->as_array();
  if (!a) fail(origin, id, "field '" + std::string(key) + "' must be an array");
  for (const toml::node& e : *a) {
    RuleExample ex;
    if (auto s = e.value<std::string>()) {
      ex.text = *s;
    } else if (const toml::table* et = e.as_table()) {
      ex.text = get_string(*et, "text", origin, id, true);
      std::string v = get_string(*et, "verdict", origin, id, false);
      if (!v.empty()) {
        ex.verdict = parse_verdict(v);
        if (!ex.verdict) fail(origin, id, "example verdict '" + v + "' is unknown");
      }
    } else {
      fail(origin, id, "each of '" + std::string(key) + "' must be a string or {text, verdict}");
    }
    out.push_back(std::move(ex));
  }
  return out;
}

Rule parse_rule(const toml::table& t, const std::string& origin) {
  Rule r;
  r.id = get_string(t, "id", origin, "", true);
  const std::string& id = r.id;
  if (r.id.empty() || r.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
    fail(origin, id, "id must be lower-case letters, digits and '-'");
  r.name = get_string(t, "name", origin, id, false);
  if (r.name.empty()) {
    // "sfmc-client-secret" -> "SfmcClientSecret"
    bool up = true;
    for (char c : r.id) {
      if (c == '-') { up = true; continue; }
      r.name += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      up = false;
    }
  }
  r.description = get_string(t, "description", origin, id, true);
  r.full_description = get_string(t, "full_description", origin, id, false);
  if (r.full_description.empty()) r.full_description = r.description;
  r.help_markdown = get_string(t, "help", origin, id, false);
  if (r.help_markdown.empty()) r.help_markdown = r.full_description;
  r.help_text = r.help_markdown;
  r.help_uri = get_string(t, "help_uri", origin, id, false);
  if (!r.help_uri.empty() && r.help_uri.rfind("https://", 0) != 0 && r.help_uri.rfind("http://", 0) != 0)
    fail(origin, id, "help_uri must be an absolute http(s) URL, not '" + r.help_uri + "'");
  r.regex = get_string(t, "regex", origin, id, true);
  r.secret_group = get_string(t, "secret_group", origin, id, false);
  r.keywords = get_strings(t, "keywords", origin, id);
  r.prefix = get_string(t, "prefix", origin, id, false);
  r.tags = get_strings(t, "tags", origin, id);
  r.precision = get_string(t, "precision", origin, id, false);
  if (r.precision.empty()) r.precision = "high";

  std::string kind = get_string(t, "kind", origin, id, false);
  if (kind.empty() || kind == "secret") r.kind = RuleKind::secret;
  else if (kind == "context") r.kind = RuleKind::context;
  else fail(origin, id, "kind '" + kind + "' is not one of secret, context");

  try {
    r.not_preceded_by = CharClass::parse(get_string(t, "not_preceded_by", origin, id, false));
    r.not_followed_by = CharClass::parse(get_string(t, "not_followed_by", origin, id, false));
  } catch (const std::invalid_argument& e) {
    fail(origin, id, e.what());
  }

  if (const toml::node* sev = t.get("security_severity")) {
    if (auto d = sev->value<double>()) r.security_severity = *d;
    else fail(origin, id, "security_severity must be a number");
    if (!(r.security_severity > 0.0 && r.security_severity <= 10.0))
      fail(origin, id, "security_severity must be in (0, 10]");
  }

  if (const toml::node* c = t.get("checksum")) {
    const toml::table* ct = c->as_table();
    if (!ct) fail(origin, id, "checksum must be a table {algorithm, encoding, covers}");
    r.checksum = parse_checksum(*ct, origin, id);
    if (r.checksum->covers == ChecksumSpec::Coverage::body && r.prefix.empty())
      fail(origin, id, "checksum.covers = \"body\" needs the rule's 'prefix'");
  }
  if (const toml::node* p = t.get("placeholder")) {
    const toml::table* pt = p->as_table();
    if (!pt) fail(origin, id, "placeholder must be a table {words, repeated_run, sequential_run}");
    PlaceholderSpec ps;
    ps.words = get_strings(*pt, "words", origin, id);
    ps.repeated_run = static_cast<std::size_t>(pt->get("repeated_run") ? pt->get("repeated_run")->value_or<int64_t>(0) : 0);
    ps.sequential_run = static_cast<std::size_t>(pt->get("sequential_run") ? pt->get("sequential_run")->value_or<int64_t>(0) : 0);
    r.placeholder = std::move(ps);
  }
  if (const toml::node* s = t.get("shape")) {
    const toml::table* st = s->as_table();
    if (!st) fail(origin, id, "shape must be a table {after_prefix, alphabet}");
    TokenShape shape;
    shape.after_prefix = static_cast<std::size_t>(st->get("after_prefix") ? st->get("after_prefix")->value_or<int64_t>(0) : 0);
    std::string alphabet = get_string(*st, "alphabet", origin, id, true);
    CharClass cc;
    try {
      cc = CharClass::parse("[" + alphabet + "]");
    } catch (const std::invalid_argument& e) {
      fail(origin, id, std::string("shape.alphabet: ") + e.what());
    }
    for (unsigned c = 0; c < 256; ++c)
      if (cc.contains(static_cast<unsigned char>(c))) shape.alphabet += static_cast<char>(c);
    if (shape.after_prefix == 0 || shape.alphabet.empty()) fail(origin, id, "shape needs after_prefix > 0 and an alphabet");
    r.shape = std::move(shape);
  }
  r.examples = parse_examples(t, "examples", origin, id);
  r.negative_examples = parse_examples(t, "negative_examples", origin, id);
  return r;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw RuleError(p.string() + ": cannot read rule file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

RuleSet parse_rules(std::string_view toml_text, const std::string& origin) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << origin << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
        << e.description();
    throw RuleError(msg.str());
  }
  RuleSet set;
  const toml::array* rules = doc["rules"].as_array();
  if (!rules) throw RuleError(origin + ": no [[rules]] entries");
  for (const toml::node& n : *rules) {
    const toml::table* t = n.as_table();
    if (!t) throw RuleError(origin + ": each [[rules]] entry must be a table");
    Rule r = parse_rule(*t, origin);
    if (set.find(r.id)) throw RuleError(origin + ": rule '" + r.id + "' is defined twice");
    set.rules.push_back(std::move(r));
  }
  set.sources.push_back(origin);
  set.digest = sha256_hex(toml_text);
  return set;
}

RuleSet parse_rule_files(const std::vector<RuleFileText>& files) {
  RuleSet all;
  Sha256 digest;
  for (const RuleFileText& f : files) {
    RuleSet one = parse_rules(f.text, f.name);
    digest.update(one.digest);
    for (Rule& r : one.rules) {
      if (all.find(r.id)) throw RuleError(f.name + ": rule '" + r.id + "' is defined twice");
      all.rules.push_back(std::move(r));
    }
    all.sources.push_back(f.name);
  }
  all.digest = digest.hex_digest();
  return all;
}

RuleSet load_rules(const std::string& path) {
  std::error_code ec;
  std::vector<fs::path> paths;
  if (fs::is_directory(path, ec)) {
    for (const auto& e : fs::directory_iterator(path, ec))
      if (e.path().extension() == ".toml") paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    if (paths.empty()) throw RuleError(path + ": no .toml rule files in this folder");
  } else if (fs::exists(path, ec)) {
    paths.push_back(path);
  } else {
    throw RuleError(path + ": no such rule file or folder");
  }
  std::vector<RuleFileText> files;
  for (const fs::path& p : paths) files.push_back({p.string(), read_file(p)});
  return parse_rule_files(files);
}

}  // namespace sfmc
