// scan --state (report/scan_state): what a re-sweep of a bucket may leave unread.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "report/scan_state.hpp"
#include "support.hpp"

namespace sfmc {
namespace {

// A store known by its address only: the state never reads objects.
class NamedStore final : public ObjectStore {
 public:
  explicit NamedStore(std::string address) : address_(std::move(address)) {}
  bool read(const std::string&, const std::string&, uint64_t, uint64_t, std::string&, std::string& error) const override {
    error = "not readable";
    return false;
  }
  std::string address() const override { return address_; }

 private:
  std::string address_;
};

struct Sweep {
  std::shared_ptr<const ObjectStore> store;
  std::size_t root = 0;
  InputItem item(const std::string& key, const std::string& etag) const {
    InputItem i;
    i.kind = InputItem::Kind::bucket_object;
    i.root = root;
    i.store = store;
    i.name = key;
    i.etag = etag;
    return i;
  }
  ObjectDone done(const std::string& key, const std::string& etag, bool complete = true, bool findings = false,
                  bool unchanged = false) const {
    ObjectDone d;
    d.root = root;
    d.store = store;
    d.key = key;
    d.etag = etag;
    d.complete = complete;
    d.findings = findings;
    d.unchanged = unchanged;
    return d;
  }
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const auto kStore = std::make_shared<NamedStore>("http://store/b");

}  // namespace

TEST_CASE("a re-sweep leaves unread only what an earlier one read in full, in that version", "[scan_state]") {
  test::TempDir d;
  const std::string path = (d.path() / "s.state").string();
  Sweep s{kStore, 0};
  {
    ScanState first(path, "scan-1", {"s3://b"});
    CHECK_FALSE(first.unchanged(s.item("a", "e1")));  // nothing recorded yet
    first.done(s.done("a", "e1", true, true));
    first.done(s.done("b", "e2", false));  // cut: read again next time
    first.done(s.done("c", "e3"));
    REQUIRE(first.save());
  }
  {
    ScanState again(path, "scan-1", {"s3://b"});
    CHECK(again.unchanged(s.item("a", "e1")) == std::optional<bool>(true));  // with its findings
    CHECK_FALSE(again.unchanged(s.item("b", "e2")));
    CHECK_FALSE(again.unchanged(s.item("c", "e3-new")));  // rewritten
  }
  {
    ScanState other_scan(path, "scan-2", {"s3://b"});  // new rules, another sfmc-scan
    CHECK_FALSE(other_scan.unchanged(s.item("a", "e1")));
  }
  {
    ScanState other_store(path, "scan-1", {"s3://b"});
    Sweep elsewhere{std::make_shared<NamedStore>("http://other/b"), 0};
    CHECK_FALSE(other_store.unchanged(elsewhere.item("a", "e1")));
  }
}

TEST_CASE("a store that lists out of order costs reads, never a miss", "[scan_state]") {
  test::TempDir d;
  const std::string path = (d.path() / "s.state").string();
  Sweep s{kStore, 0};
  {
    ScanState st(path, "x", {"s3://b"});
    for (const char* k : {"a", "c", "e"}) st.done(s.done(k, "v"));
    REQUIRE(st.save());
  }
  ScanState st(path, "x", {"s3://b"});
  CHECK(st.unchanged(s.item("c", "v")));
  CHECK_FALSE(st.unchanged(s.item("a", "v")));  // passed over: read, not wrongly left unread
  CHECK_FALSE(st.unchanged(s.item("d", "v")));
  CHECK(st.unchanged(s.item("e", "v")));
}

TEST_CASE("the new state merges this sweep's prefixes into what it held", "[scan_state]") {
  test::TempDir d;
  const std::string path = (d.path() / "s.state").string();
  {
    ScanState st(path, "x", {"s3://bkt", "s3://other"});
    Sweep s{kStore, 0}, o{std::make_shared<NamedStore>("http://store/other"), 1};
    for (const char* k : {"a/1", "b/1", "b/2", "c/1"}) st.done(s.done(k, "v1"));
    st.done(o.done("z", "v1"));
    REQUIRE(st.save());
  }
  {
    // Two prefixes of the bucket, named out of order; b/2 deleted, b/3 new, c/1 changed.
    ScanState st(path, "x", {"s3://bkt/c", "s3://bkt/b"});
    Sweep c{kStore, 0}, b{kStore, 1};
    st.done(c.done("c/1", "v2"));
    CHECK(st.unchanged(b.item("b/1", "v1")));
    st.done(b.done("b/1", "v1", true, false, true));
    st.done(b.done("b/3", "v1"));
    REQUIRE(st.save());
  }
  const std::string text = slurp(path);
  INFO(text);
  // Keys in order, each once; what was not listed now (a/1, the other bucket) kept.
  CHECK(text.find("{\"key\":\"a/1\",\"etag\":\"v1\"}\n{\"key\":\"b/1\",\"etag\":\"v1\"}\n{\"key\":\"b/3\",\"etag\":\"v1\"}\n"
                  "{\"key\":\"c/1\",\"etag\":\"v2\"}\n") != std::string::npos);
  CHECK(text.find("b/2") == std::string::npos);
  CHECK(text.find("{\"key\":\"z\"") != std::string::npos);
  ScanState st(path, "x", {"s3://other"});
  Sweep o{std::make_shared<NamedStore>("http://store/other"), 0};
  CHECK(st.unchanged(o.item("z", "v1")));
}

TEST_CASE("findings reported are kept by hash, never the secret", "[scan_state]") {
  test::TempDir d;
  const std::string path = (d.path() / "s.state").string();
  Finding f;
  f.rule_id = "sfmc-client-secret";
  f.secret_sha256 = std::string(64, 'a');
  f.location.path = "s3://b/app.env";
  f.secret = "SFMC_not-a-real-secret";
  {
    ScanState st(path, "x", {"s3://b"});
    CHECK_FALSE(st.reported(f));
    st.add_reported(f);
    REQUIRE(st.save());
  }
  CHECK(slurp(path).find(f.secret) == std::string::npos);
  ScanState st(path, "x", {"s3://b"});
  CHECK(st.reported(f));
  f.location.path = "s3://b/copy.env";  // the same secret elsewhere is news
  CHECK_FALSE(st.reported(f));
}

TEST_CASE("a file that is not a scan state is refused by name and line", "[scan_state]") {
  test::TempDir d;
  auto refused = [&](const std::string& content) {
    const std::string path = d.write("bad.state", content).string();
    try {
      ScanState st(path, "x", {});
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(refused("").find("is not an sfmc-scan scan --state file") != std::string::npos);
  CHECK(refused("{\"type\":\"sfmc-scan-sweep-state\",\"version\":1}\n").find("`sfmc-scan git`") != std::string::npos);
  const std::string header = "{\"type\":\"sfmc-scan-scan-state\",\"version\":1}\n";
  CHECK(refused(header + "{\"key\":\"a\",\"etag\":\"v\"}\n").find("line 2: an object outside a bucket's section") != std::string::npos);
  CHECK(refused(header + "{\"bucket\":\"u\",\"scanned_with\":\"x\"}\n{\"key\":\"a\"").find("line 3: it ends in the middle") !=
        std::string::npos);
  CHECK(refused(header + "garbage\n").find("line 2: not a line of a state file") != std::string::npos);
  CHECK(refused(header + "{\"bucket\":\"u\",\"scanned_with\":\"x\"}\n{\"key\":\"a\",\"etag\":\"v\"}\n").empty());
}

}  // namespace sfmc
