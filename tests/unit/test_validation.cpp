#include <catch2/catch.hpp>

#include "support.hpp"

using namespace sfmc;

namespace {

std::vector<Finding> scan(const std::string& text) { return test::bundled_engine().scan_buffer(text, "t").findings; }

}  // namespace

TEST_CASE("tokens are found in every common context with exact positions", "[validation]") {
  struct Case {
    std::string before, after;
    uint64_t line, column;
  };
  const std::vector<Case> cases = {
      {"", "", 1, 1},                                              // the whole file
      {"client_secret = \"", "\"\n", 1, 18},                       // quoted
      {"{\"auth\": {\"clientSecret\": \"", "\"}}", 1, 28},         // JSON
      {"sfmc:\n  client_secret: ", "\n  client_id: x\n", 2, 18},   // YAML
      {"# env\nSFMC_CLIENT_SECRET=", "\n", 2, 20},                 // .env
      {"GET /cb?client_secret=", "&state=1 HTTP/1.1", 1, 23},      // URL query
      {"secret%3D", "%26next", 1, 10},                             // URL-encoded, glued on the left
      {"<ClientSecret>", "</ClientSecret>", 1, 15},                // XML
      {"a\r\nb\r\nclient_secret=", "\r\n", 3, 15},                 // CRLF
      {"var a=1;" + std::string(200000, 'x') + "=\"", "\";var b=2;", 1, 200011},  // minified line
  };
  for (const Case& c : cases) {
    std::string token = test::make_token();
    INFO(c.before.substr(0, 40));
    std::vector<Finding> f = scan(c.before + token + c.after);
    REQUIRE(f.size() == 1);
    CHECK(f[0].verdict == Verdict::checksum_valid);
    CHECK(f[0].level == Level::error);
    CHECK(f[0].secret == token);
    CHECK(f[0].location.line == c.line);
    CHECK(f[0].location.column == c.column);
    CHECK(f[0].location.byte_offset == c.before.size());
  }
}

TEST_CASE("near-misses never come out as checksum-valid", "[validation]") {
  std::string good = test::make_token();
  // Not tokens at all.
  for (const std::string& text : {test::make_token({.drop = 1}),                                  // 58 after the prefix
                                  test::make_token() + "A",                                      // longer alphanumeric run
                                  test::make_token() + "7",
                                  test::make_token({.prefix = "sfmc_"}),                         // lower-case prefix
                                  test::make_token({.prefix = "SFMC-"}),                         // wrong separator
                                  good.substr(0, 30) + "\n" + good.substr(30),                   // split across lines
                                  good.substr(0, 30) + "-" + good.substr(31)}) {                 // '-' in the body
    INFO(text);
    CHECK(scan(text).empty());
  }
  // Token-shaped but not valid.
  struct Near {
    TokenVariant variant;
    Verdict verdict;
  };
  for (const Near& n : {Near{{.bad_checksum = true}, Verdict::checksum_invalid},
                        Near{{.upper_checksum = true}, Verdict::checksum_invalid},
                        Near{{.body_start = "EXAMPLE"}, Verdict::placeholder},
                        Near{{.body_start = "REDACTED"}, Verdict::placeholder},
                        Near{{.body_start = "dummy"}, Verdict::placeholder},
                        Near{{.body_start = "123456"}, Verdict::placeholder},
                        Near{{.repeat = 'X'}, Verdict::placeholder},
                        Near{{.repeat = '0'}, Verdict::placeholder}}) {
    std::string token = test::make_token(n.variant);
    INFO(token.substr(0, 12));
    std::vector<Finding> f = scan("secret: " + token + "\n");
    REQUIRE(f.size() == 1);
    CHECK(f[0].verdict == n.verdict);
    CHECK(f[0].level != Level::error);
    CHECK_FALSE(f[0].reason.empty());
  }
}

TEST_CASE("a checksum-valid placeholder is reported as a placeholder, not a secret", "[validation]") {
  std::vector<Finding> f = scan(test::make_token({.repeat = 'X'}));
  REQUIRE(f.size() == 1);
  CHECK(f[0].verdict == Verdict::placeholder);
  CHECK(f[0].level == Level::note);
}

TEST_CASE("the checksum policy decides what happens to failing checksums", "[validation]") {
  std::string text = test::make_token() + "\n" + test::make_token({.bad_checksum = true}) + "\n";
  auto verdicts = [&](ChecksumPolicy p) {
    ScanEngine engine(test::bundled_rules(), p, test::no_cache());
    std::vector<Verdict> out;
    for (const Finding& f : engine.scan_buffer(text, "t").findings) out.push_back(f.verdict);
    return out;
  };
  CHECK(verdicts(ChecksumPolicy::report) == std::vector<Verdict>{Verdict::checksum_valid, Verdict::checksum_invalid});
  CHECK(verdicts(ChecksumPolicy::require) == std::vector<Verdict>{Verdict::checksum_valid});
  CHECK(verdicts(ChecksumPolicy::ignore) == std::vector<Verdict>{Verdict::unchecked, Verdict::unchecked});
}

TEST_CASE("findings never carry the full secret in their redacted fields", "[validation]") {
  std::string token = test::make_token();
  std::vector<Finding> f = scan("client_secret=\"" + token + "\"");
  REQUIRE(f.size() == 1);
  CHECK(f[0].secret_redacted == token.substr(0, 9) + "\xE2\x80\xA6" + token.substr(60));
  CHECK(f[0].snippet == "client_secret=\"" + f[0].secret_redacted + "\"");
  CHECK(f[0].snippet.find(token) == std::string::npos);
  CHECK(f[0].line_hash.find(token) == std::string::npos);
  CHECK(f[0].snippet_revealed.find(token) != std::string::npos);
  CHECK(f[0].secret_sha256.size() == 64);
}

TEST_CASE("client ids and auth subdomains near a secret are attached as context", "[validation]") {
  TokenFactory factory(3);
  std::string id = factory.random_string("abcdefghijklmnopqrstuvwxyz0123456789", 24);
  std::string sub = "mc" + factory.random_string("abcdefghijklmnopqrstuvwxyz0123456789", 26);
  std::string other_id = factory.random_string("abcdefghijklmnopqrstuvwxyz0123456789", 24);
  std::string token = test::make_token();
  std::string text = "client_id: " + other_id + "\n" + std::string(500, '#') + "\n" +
                     "auth_url: https://" + sub + ".auth.marketingcloudapis.com/\n" +
                     "clientId: \"" + id + "\"\n" + "client_secret: " + token + "\n";
  ScanEngine::BufferScan got = test::bundled_engine().scan_buffer(text, "t");
  REQUIRE(got.findings.size() == 1);
  CHECK(got.context.size() == 3);
  const std::vector<ContextHit>& ctx = got.findings[0].context;
  // Per rule, nearest first: the auth subdomain, then both client ids.
  REQUIRE(ctx.size() == 3);
  CHECK(ctx[0].rule_id == "sfmc-auth-url");
  CHECK(ctx[0].value == sub);
  CHECK(ctx[0].line == 3);
  CHECK(ctx[0].column == 19);
  CHECK(ctx[1].rule_id == "sfmc-client-id");
  CHECK(ctx[1].value == id);  // the nearer of the two
  CHECK(ctx[1].line == 4);
  CHECK(ctx[2].value == other_id);
}

TEST_CASE("identical lines in a file get distinct fingerprints, stable across moves", "[validation]") {
  std::string token = test::make_token();
  std::string line = "secret=" + token + "\n";
  std::vector<Finding> f = scan(line + line);
  REQUIRE(f.size() == 2);
  CHECK(f[0].line_hash != f[1].line_hash);
  CHECK(f[0].line_hash.substr(0, 16) == f[1].line_hash.substr(0, 16));
  CHECK(f[0].line_hash.substr(16) == ":1");
  CHECK(f[1].line_hash.substr(16) == ":2");
  std::vector<Finding> moved = scan("\n\n\n" + line);
  REQUIRE(moved.size() == 1);
  CHECK(moved[0].line_hash == f[0].line_hash);
}

TEST_CASE("a snippet never shows a neighbouring secret on the same line", "[validation]") {
  std::string a = test::make_token(), b = test::make_token(), c = test::make_token({.bad_checksum = true});
  std::vector<Finding> f = scan("{\"s\":\"" + a + "\",\"t\":\"" + b + "\",\"u\":\"" + c + "\"}");
  REQUIRE(f.size() == 3);
  for (const Finding& x : f) {
    for (const std::string& secret : {a, b, c}) {
      CHECK(x.snippet.find(secret) == std::string::npos);
      CHECK(x.snippet.find(secret.substr(0, 20)) == std::string::npos);  // nor a cut-off piece of one
    }
    // The revealed form shows the finding's own secret only.
    CHECK(x.snippet_revealed.find(x.secret) != std::string::npos);
  }
  CHECK(f[1].snippet_revealed.find(a) == std::string::npos);
}

TEST_CASE("snippets keep UTF-8 text and neutralise control bytes", "[validation]") {
  std::vector<Finding> f = scan("caf\xC3\xA9 \x1b[31m\xFF k=" + test::make_token() + "\n");
  REQUIRE(f.size() == 1);
  CHECK_THAT(f[0].snippet, Catch::StartsWith("caf\xC3\xA9 ?[31m? k=SFMC_"));
}
