#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "match/database.hpp"
#include "support.hpp"
#include "testing/rule_examples.hpp"

using namespace sfmc;
using sfmc::test::no_cache;

namespace {

std::string bundled_toml() {
  std::ifstream in(std::string(SFMC_SOURCE_RULES_DIR) + "/sfmc.toml");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

const char* minimal = R"([[rules]]
id = "demo"
description = "demo rule"
regex = '''DEMO_[A-Z]{8}'''
examples = ["DEMO_ABCDEFGH"]
)";

}  // namespace

TEST_CASE("the bundled rules load, compile and pass their own examples", "[rules]") {
  const ScanEngine& engine = test::bundled_engine();
  REQUIRE(engine.rules().find("sfmc-client-secret"));
  REQUIRE(engine.rules().find("sfmc-client-id"));
  REQUIRE(engine.rules().find("sfmc-auth-url"));
  const Rule& secret = *engine.rules().find("sfmc-client-secret");
  REQUIRE(secret.checksum);
  CHECK(secret.checksum->algorithm == ChecksumSpec::Algorithm::crc32);
  CHECK(secret.checksum->encoding == ChecksumSpec::Encoding::hex_lower);
  CHECK(secret.checksum->covers == ChecksumSpec::Coverage::prefix_and_body);

  TokenFactory factory(7);
  std::vector<ExampleResult> results = check_rule_examples(engine, factory);
  CHECK(results.size() > 30);
  for (const ExampleResult& r : results) {
    INFO(r.rule_id << ": " << r.example << ": " << r.detail);
    CHECK(r.passed);
  }
}

TEST_CASE("a broken rule makes its examples fail", "[rules]") {
  // Without the right boundary, "token followed by A" is matched: the negative example must catch it.
  std::string text = replaced(bundled_toml(), "not_followed_by = \"[0-9A-Za-z]\"", "");
  ScanEngine engine(parse_rules(text, "broken.toml"), ChecksumPolicy::report, no_cache());
  TokenFactory factory(7);
  int failed = 0;
  for (const ExampleResult& r : check_rule_examples(engine, factory)) failed += r.passed ? 0 : 1;
  CHECK(failed >= 2);
}

TEST_CASE("changing the checksum encoding in the rule file changes verdicts without a rebuild", "[rules]") {
  std::string token = test::make_token();  // checksum in lower-case hex, per the bundled rule
  auto verdict_with = [&](const std::string& encoding) {
    std::string text = replaced(bundled_toml(), "encoding = \"hex-lower\"", "encoding = \"" + encoding + "\"");
    ScanEngine engine(parse_rules(text, "edited.toml"), ChecksumPolicy::report, no_cache());
    std::vector<Finding> f = engine.scan_buffer("secret=" + token + "\n", "x").findings;
    REQUIRE(f.size() == 1);
    return f[0].verdict;
  };
  CHECK(verdict_with("hex-lower") == Verdict::checksum_valid);
  CHECK(verdict_with("hex") == Verdict::checksum_valid);
  bool has_hex_letter = token.substr(56).find_first_of("abcdef") != std::string::npos;
  if (has_hex_letter) CHECK(verdict_with("hex-upper") == Verdict::checksum_invalid);
  CHECK(verdict_with("decimal") == Verdict::checksum_invalid);
}

TEST_CASE("rule files with mistakes are rejected with the rule and field named", "[rules]") {
  auto error_of = [](const std::string& text) -> std::string {
    try {
      ScanEngine engine(parse_rules(text, "r.toml"), ChecksumPolicy::report, no_cache());
    } catch (const RuleError& e) {
      return e.what();
    }
    return "";
  };
  CHECK_THAT(error_of(replaced(minimal, "regex = '''DEMO_[A-Z]{8}'''\n", "")),
             Catch::Contains("'demo'") && Catch::Contains("regex"));
  CHECK_THAT(error_of(std::string(minimal) + "checksum = { algorithm = \"md5\", encoding = \"hex\" }\n"),
             Catch::Contains("md5"));
  CHECK_THAT(error_of(std::string(minimal) + "checksum = { algorithm = \"crc32\", encoding = \"hex-sideways\" }\n"),
             Catch::Contains("hex-sideways"));
  CHECK_THAT(error_of(replaced(minimal, "[A-Z]{8}", "[A-Z]+")), Catch::Contains("bound"));
  CHECK_THAT(error_of(replaced(minimal, "[A-Z]{8}", "[A-Z")), Catch::Contains("'demo'"));
  CHECK_THAT(error_of("[[rules]\nid=1"), Catch::Contains("r.toml:1"));
  CHECK_THAT(error_of(std::string(minimal) + minimal), Catch::Contains("defined twice"));
  CHECK_THAT(error_of(std::string(minimal) + "secret_group = \"nope\"\n"), Catch::Contains("nope"));
  CHECK_THAT(error_of(std::string(minimal) + "security_severity = 11.0\n"), Catch::Contains("security_severity"));
  CHECK(error_of(minimal).empty());
}

TEST_CASE("a folder of rule files loads in name order and rejects duplicate ids", "[rules]") {
  test::TempDir dir;
  dir.write("b.toml", replaced(minimal, "\"demo\"", "\"second\""));
  dir.write("a.toml", minimal);
  dir.write("notes.txt", "not a rule file");
  RuleSet set = load_rules(dir.path().string());
  REQUIRE(set.rules.size() == 2);
  CHECK(set.rules[0].id == "demo");
  CHECK(set.rules[1].id == "second");
  dir.write("c.toml", minimal);
  CHECK_THROWS_WITH(load_rules(dir.path().string()), Catch::Contains("defined twice"));
}

TEST_CASE("the compiled database is cached on disk and reused", "[rules]") {
  test::TempDir cache_dir;
  DatabaseCacheOptions cache;
  cache.dir = cache_dir.path().string();
  RuleSet rules = test::bundled_rules();
  auto cold = MatchDatabase::build(rules, cache);
  CHECK_FALSE(cold->loaded_from_cache());
  REQUIRE(std::filesystem::exists(cold->cache_file()));
  auto warm = MatchDatabase::build(rules, cache);
  CHECK(warm->loaded_from_cache());
  CHECK(warm->max_width() == cold->max_width());

  // A corrupt cache file is ignored and rewritten, never trusted.
  std::ofstream(cold->cache_file(), std::ios::trunc) << "garbage";
  auto again = MatchDatabase::build(rules, cache);
  CHECK_FALSE(again->loaded_from_cache());

  // Another rule set gets another key.
  RuleSet other = parse_rules(minimal, "m.toml");
  auto different = MatchDatabase::build(other, cache);
  CHECK_FALSE(different->loaded_from_cache());
  CHECK(different->cache_file() != cold->cache_file());
}

TEST_CASE("the rules compiled into the binary are the source tree's rules, with the same cache key", "[rules]") {
  // The test binary is neither installed nor in the build folder's top: with no
  // $SFMC_RULES it gets the compiled-in copy.
  const char* saved = std::getenv("SFMC_RULES");
  std::string restore = saved ? saved : "";
  unsetenv("SFMC_RULES");
  CHECK(default_rules_origin() == "built-in");
  RuleSet embedded = load_default_rules();
  RuleSet source = test::bundled_rules();
  if (saved) setenv("SFMC_RULES", restore.c_str(), 1);
  // Same digest: a stale embedding (rules edited, binary not rebuilt) fails here,
  // and the compiled-database cache is shared between the two.
  CHECK(embedded.digest == source.digest);
  REQUIRE(embedded.rules.size() == source.rules.size());
  for (std::size_t i = 0; i < source.rules.size(); ++i) CHECK(embedded.rules[i].id == source.rules[i].id);
  REQUIRE_FALSE(embedded.sources.empty());
  CHECK(embedded.sources[0].rfind("built-in:rules/", 0) == 0);
  // Any change to a rule's text changes the key.
  RuleSet edited = parse_rule_files({{"built-in:rules/sfmc.toml", bundled_toml() + "\n# edited\n"}});
  CHECK(edited.digest != embedded.digest);
}

TEST_CASE("$SFMC_RULES overrides the compiled-in rules", "[rules]") {
  test::TempDir dir;
  dir.write("only.toml", minimal);
  const char* saved = std::getenv("SFMC_RULES");
  std::string restore = saved ? saved : "";
  setenv("SFMC_RULES", dir.path().string().c_str(), 1);
  CHECK(default_rules_origin() == dir.path().string());
  RuleSet set = load_default_rules();
  if (saved) setenv("SFMC_RULES", restore.c_str(), 1);
  else unsetenv("SFMC_RULES");
  REQUIRE(set.rules.size() == 1);
  CHECK(set.rules[0].id == "demo");
}
