#pragma once
// The rule model. Rules are data (rules/*.toml); nothing here knows about SFMC.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/verdict.hpp"
#include "rules/char_class.hpp"

namespace sfmc {

// How a token's trailing checksum is computed: data, because Salesforce has not
// published the real algorithm (SFMC_FORMAT.md, "The checksum").
struct ChecksumSpec {
  enum class Algorithm { crc32, adler32 };
  enum class Encoding { hex_lower, hex_upper, hex_any, base62, decimal };
  enum class Coverage { prefix_and_body, body };

  Algorithm algorithm = Algorithm::crc32;
  Encoding encoding = Encoding::hex_lower;
  Coverage covers = Coverage::prefix_and_body;

  // Number of characters the checksum occupies at the end of the token.
  std::size_t width() const;
};

// Filters for obviously fake values. Words are matched in upper and lower case.
struct PlaceholderSpec {
  std::vector<std::string> words;
  std::size_t repeated_run = 0;    // this many equal characters in a row (0: off)
  std::size_t sequential_run = 0;  // this long an ascending run like "abcdef" or "123456" (0: off)
};

// What a generated example token looks like: used by `rules check`, tests and the demo.
struct TokenShape {
  std::size_t after_prefix = 0;  // characters after the prefix, checksum included
  std::string alphabet;          // every character the random part may use
};

struct RuleExample {
  std::string text;                // may hold {{token...}} templates (see testing/example_template.hpp)
  std::optional<Verdict> verdict;  // expected verdict; default: the best one the rule can give
};

enum class RuleKind {
  secret,   // a credential: reported as a finding
  context,  // an identifier found near secrets (client id, auth host): attached to findings
};

struct Rule {
  std::string id;           // stable, e.g. "sfmc-client-secret"
  std::string name;         // PascalCase for SARIF, e.g. "SfmcClientSecret"
  std::string description;  // one sentence
  std::string full_description;
  std::string help_text;
  std::string help_markdown;
  std::string help_uri;      // an absolute URL of a page on what to do (SARIF helpUri), "" for none
  RuleKind kind = RuleKind::secret;

  std::string regex;         // Hyperscan/PCRE syntax; the whole match is the candidate
  std::string secret_group;  // named group holding the secret inside the match ("" = whole match)
  std::vector<std::string> keywords;
  std::string prefix;  // literal prefix of the secret, kept visible when redacting
  CharClass not_preceded_by;
  CharClass not_followed_by;

  std::optional<ChecksumSpec> checksum;
  std::optional<PlaceholderSpec> placeholder;
  std::optional<TokenShape> shape;

  double security_severity = 5.0;  // (0, 10], SARIF properties.security-severity
  std::string precision = "high";
  std::vector<std::string> tags;

  std::vector<RuleExample> examples;
  std::vector<RuleExample> negative_examples;
};

struct RuleSet {
  std::vector<Rule> rules;
  std::vector<std::string> sources;  // files the rules came from
  std::string digest;                // SHA-256 over the sources' bytes: the compile-cache key

  const Rule* find(std::string_view id) const;
};

// Loads one .toml file, or every .toml file in a folder (sorted by name).
// Throws RuleError with the file and the field at fault.
RuleSet load_rules(const std::string& path);

// Parses rules from TOML text; `origin` names it in error messages.
RuleSet parse_rules(std::string_view toml_text, const std::string& origin);

// One rule file's text and the name it is known by in messages.
struct RuleFileText {
  std::string name;
  std::string text;
};

// Parses several rule files as one set, in the order given; the digest is the same
// whether the texts came from disk or from the copy compiled into the binary.
RuleSet parse_rule_files(const std::vector<RuleFileText>& files);

// The rules used when no --rules is given, from the first of: $SFMC_RULES; the rules
// folder of an installation (<prefix>/share/sfmc-scan/rules beside <prefix>/bin);
// the source tree's rules/ for a binary still in its build folder; the copy of
// rules/*.toml compiled into the binary (so a copied binary works anywhere).
RuleSet load_default_rules();

// Where load_default_rules() reads from: a path, or "built-in" for the compiled-in copy.
std::string default_rules_origin();

struct RuleError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace sfmc
