#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "report/location_uri.hpp"
#include "report/reporter.hpp"
#include "support.hpp"

using namespace sfmc;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Scanned {
  std::string token;
  std::string output;
};

Scanned report(OutputFormat format, bool show_secrets, const test::TempDir& d) {
  ReportOptions ro;
  ro.show_secrets = show_secrets;
  ro.working_directory = d.path().string();
  std::ostringstream out;
  auto reporter = make_reporter(format, test::bundled_engine().rules(), ro, out);
  ScanOptions o;
  o.paths = {d.path().string()};
  ScanStats stats = test::bundled_engine().scan(o, *reporter);
  reporter->finish(stats);
  return {"", out.str()};
}

}  // namespace

TEST_CASE("SARIF holds what GitHub code scanning needs and never the secret", "[report][sarif]") {
  test::TempDir d;
  std::string token = test::make_token();
  std::string bad = test::make_token({.bad_checksum = true});
  d.write("conf/app settings.env", "SFMC_CLIENT_SECRET=" + token + "\nOLD=" + bad + "\n");
  fs::create_symlink(d.path() / "nowhere", d.path() / "dangling");  // skipped: not followed
  std::string sarif = report(OutputFormat::sarif, false, d).output;
  CHECK(sarif.find(token) == std::string::npos);
  CHECK(sarif.find(bad) == std::string::npos);

  json doc = json::parse(sarif);
  CHECK(doc["version"] == "2.1.0");
  REQUIRE(doc["runs"].size() == 1);
  const json& run = doc["runs"][0];
  CHECK(run["columnKind"] == "unicodeCodePoints");
  const json& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == 1);  // context rules produce no results, so they are not listed
  CHECK(rules[0]["id"] == "sfmc-client-secret");
  CHECK(rules[0]["properties"]["security-severity"] == "9.1");
  CHECK(rules[0]["properties"]["tags"][0] == "security");
  CHECK_FALSE(rules[0]["help"]["markdown"].get<std::string>().empty());

  const json& results = run["results"];
  REQUIRE(results.size() == 2);
  const json& r0 = results[0];
  CHECK(r0["ruleId"] == "sfmc-client-secret");
  CHECK(r0["ruleIndex"] == 0);
  CHECK(r0["level"] == "error");
  CHECK(results[1]["level"] == "warning");
  CHECK(r0["properties"]["validation"] == "checksum-valid");
  CHECK(results[1]["properties"]["validation"] == "checksum-invalid");
  const json& loc = r0["locations"][0]["physicalLocation"];
  CHECK(loc["artifactLocation"]["uri"] == "conf/app%20settings.env");
  CHECK(loc["artifactLocation"]["uriBaseId"] == "SRCROOT");
  CHECK(loc["region"]["startLine"] == 1);
  CHECK(loc["region"]["startColumn"] == 20);
  CHECK(loc["region"]["endColumn"] == 84);
  CHECK(loc["region"]["byteOffset"] == 19);
  CHECK(r0["partialFingerprints"]["secretHash/v1"].get<std::string>().size() == 64);
  CHECK_THAT(r0["partialFingerprints"]["primaryLocationLineHash"].get<std::string>(), Catch::EndsWith(":1"));
  CHECK(run["artifacts"].size() == 1);

  // The dangling symlink is a note only in verbose mode; nothing was unreadable.
  CHECK(run["invocations"][0]["toolExecutionNotifications"].empty());
  CHECK(run["invocations"][0]["executionSuccessful"] == true);
}

TEST_CASE("secrets appear in every format only with show_secrets", "[report]") {
  test::TempDir d;
  std::string token = test::make_token();
  d.write("a.txt", "k=" + token);
  for (OutputFormat f : {OutputFormat::sarif, OutputFormat::json, OutputFormat::jsonl, OutputFormat::text}) {
    INFO("format " << static_cast<int>(f));
    CHECK(report(f, false, d).output.find(token) == std::string::npos);
    CHECK(report(f, true, d).output.find(token) != std::string::npos);
  }
}

TEST_CASE("JSON and JSON Lines carry the same finding fields", "[report]") {
  test::TempDir d;
  d.write("a.txt", "x\n  k=" + test::make_token() + "\n");
  d.write("b.txt", "nothing here");
  json doc = json::parse(report(OutputFormat::json, false, d).output);
  REQUIRE(doc["findings"].size() == 1);
  std::istringstream lines(report(OutputFormat::jsonl, false, d).output);
  std::string first, last, line;
  std::getline(lines, first);
  while (std::getline(lines, line)) last = line;
  json finding = json::parse(first);
  CHECK(finding == doc["findings"][0]);
  CHECK(finding["line"] == 2);
  CHECK(finding["column"] == 5);
  CHECK(finding["verdict"] == "checksum-valid");
  CHECK(finding["level"] == "error");
  json summary = json::parse(last);
  CHECK(summary["type"] == "summary");
  CHECK(summary["inputs_scanned"] == 2);
  CHECK(summary["findings"] == 1);
  for (const char* timing : {"seconds", "mb_per_second"}) {
    summary.erase(timing);
    doc["summary"].erase(timing);
  }
  CHECK(summary == doc["summary"]);
}

TEST_CASE("artifact URIs are relative, percent-encoded, file: when outside", "[report]") {
  CHECK(artifact_uri("./a b/c#d.txt", "/work").uri == "a%20b/c%23d.txt");
  CHECK(artifact_uri("./a b/c#d.txt", "/work").relative);
  CHECK(artifact_uri("/work/src/x.env", "/work").uri == "src/x.env");
  ArtifactUri outside = artifact_uri("/etc/x.conf", "/work");
  CHECK(outside.uri == "file:///etc/x.conf");
  CHECK_FALSE(outside.relative);
  CHECK(artifact_uri("../up/x", "/work/repo").uri == "file:///work/up/x");
  CHECK(folder_file_uri("/work/my repo") == "file:///work/my%20repo/");
}
