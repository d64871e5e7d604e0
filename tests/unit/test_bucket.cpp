#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>

#include "core/percent_encoding.hpp"
#include "sources/bucket/aws_settings.hpp"
#include "sources/bucket/s3_location.hpp"
#include "sources/bucket/s3_xml.hpp"
#include "support.hpp"

using namespace sfmc;

TEST_CASE("s3:// addresses give a bucket and a prefix; anything else is refused with a reason", "[bucket]") {
  std::string error;
  auto a = parse_bucket_url("s3://my-bucket", error);
  REQUIRE(a);
  CHECK(a->bucket == "my-bucket");
  CHECK(a->prefix.empty());
  auto b = parse_bucket_url("s3://my.bucket/a/b/", error);
  REQUIRE(b);
  CHECK(b->bucket == "my.bucket");
  CHECK(b->prefix == "a/b/");
  CHECK(b->url() == "s3://my.bucket/a/b/");
  CHECK_FALSE(parse_bucket_url("s3://x", error));
  CHECK_THAT(error, Catch::Matchers::Contains("not a bucket name"));
  CHECK_FALSE(parse_bucket_url("s3://bad bucket/x", error));
  CHECK_FALSE(parse_bucket_url("/tmp/s3://x", error));
  CHECK(is_bucket_url("s3://b/k"));
  CHECK_FALSE(is_bucket_url("./s3:/b"));
}

TEST_CASE("keys are encoded the one way SigV4 signs, and listings' keys decoded", "[bucket]") {
  CHECK(percent_encode("a b/x+y%z&é~_-.txt", true) == "a%20b/x%2By%25z%26%C3%A9~_-.txt");
  CHECK(percent_encode("a/b", false) == "a%2Fb");
  CHECK(percent_decode("a%20b/x%2By%25z%26%C3%A9.txt") == "a b/x+y%z&\xC3\xA9.txt");
  CHECK(percent_decode("100%") == "100%");  // not an escape: kept
  CHECK(percent_decode("a+b") == "a+b");
  CHECK(percent_decode("%0A") == "\n");  // a key with a control character
}

TEST_CASE("a ListObjectsV2 page gives its objects, whether more follow, and where", "[bucket]") {
  const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>leaks</Name><Prefix>a%2F</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>
  <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
  <Contents><Key>a/one%20two.txt</Key><LastModified>2026-11-01T10:00:00.000Z</LastModified>
    <ETag>&quot;0123abcd&quot;</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>a/%E2%9C%93</Key><Size>7</Size><ETag>"ff"</ETag></Contents>
  <NextContinuationToken>tok/en+=</NextContinuationToken>
</ListBucketResult>)";
  ListPage page;
  std::string error;
  REQUIRE(parse_list_page(xml, true, page, error));
  REQUIRE(page.objects.size() == 2);
  CHECK(page.objects[0].key == "a/one two.txt");
  CHECK(page.objects[0].size == 42);
  CHECK(page.objects[0].etag == "0123abcd");
  CHECK(page.objects[0].last_modified == "2026-11-01T10:00:00.000Z");
  CHECK(page.objects[0].modified == 1793527200);  // 2026-11-01T10:00:00Z
  CHECK(page.objects[1].modified == 0);           // not given
  CHECK(page.objects[1].key == "a/\xE2\x9C\x93");
  CHECK(page.truncated);
  CHECK(page.next_token == "tok/en+=");
}

TEST_CASE("an answer that is not a listing is an error, never an empty bucket", "[bucket]") {
  ListPage page;
  std::string error;
  CHECK_FALSE(parse_list_page("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>", true, page, error));
  CHECK_FALSE(parse_list_page("not xml", true, page, error));
  CHECK_THAT(error, Catch::Matchers::Contains("not XML"));
  CHECK_FALSE(parse_list_page("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>", true, page, error));
  CHECK_THAT(error, Catch::Matchers::Contains("continuation token"));
  const StoreError e = parse_store_error("<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>");
  CHECK(e.code == "NoSuchBucket");
  CHECK(e.message == "The specified bucket does not exist");
  CHECK(parse_store_error("<html>bad gateway</html>").code.empty());
}

namespace {
std::map<std::string, std::string> fake_env;
const char* from_fake_env(const char* name) {
  auto it = fake_env.find(name);
  return it == fake_env.end() ? nullptr : it->second.c_str();
}
}  // namespace

TEST_CASE("AWS settings come from the places the AWS tools read, in their order", "[bucket]") {
  test::TempDir d;
  d.write(".aws/credentials", "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n"
                              "[ci]\naws_access_key_id=AKIDCI\naws_secret_access_key=s2\naws_session_token=t2\n");
  d.write(".aws/config", "[default]\nregion = eu-west-1\n[profile ci]\nregion = ap-south-1\ns3 =\n"
                         "  addressing_style = path\n  endpoint_url = http://minio:9000/\n");
  std::string error;
  fake_env = {{"HOME", d.path().string()}};
  AwsSettings s;
  REQUIRE(read_aws_settings("", s, error, from_fake_env));
  CHECK(s.access_key_id == "AKIDDEFAULT");
  CHECK(s.region == "eu-west-1");
  CHECK(s.endpoint.empty());
  CHECK_FALSE(s.path_style);

  fake_env = {{"HOME", d.path().string()}, {"AWS_PROFILE", "ci"}, {"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "s3"}};
  s = {};
  REQUIRE(read_aws_settings("", s, error, from_fake_env));
  CHECK(s.access_key_id == "AKIDCI");  // a named profile wins over the environment's key
  CHECK(s.session_token == "t2");
  CHECK(s.region == "ap-south-1");
  CHECK(s.endpoint == "http://minio:9000");
  CHECK(s.path_style);

  fake_env = {{"HOME", d.path().string()}, {"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "s3"},
              {"AWS_REGION", "us-west-2"}, {"AWS_ENDPOINT_URL", "https://r2.example"}};
  s = {};
  REQUIRE(read_aws_settings("http://127.0.0.1:9000", s, error, from_fake_env));
  CHECK(s.access_key_id == "AKIDENV");
  CHECK(s.region == "us-west-2");
  CHECK(s.endpoint == "http://127.0.0.1:9000");  // --endpoint-url first
  CHECK(s.path_style);

  fake_env = {{"HOME", d.path().string()}, {"AWS_PROFILE", "nope"}};
  CHECK_FALSE(read_aws_settings("", s, error, from_fake_env));
  CHECK_THAT(error, Catch::Matchers::Contains("'nope'"));
  fake_env = {{"HOME", "/nonexistent"}, {"AWS_ACCESS_KEY_ID", "AKIDENV"}};
  CHECK_FALSE(read_aws_settings("", s, error, from_fake_env));
  CHECK_THAT(error, Catch::Matchers::Contains("without its secret"));
  fake_env = {{"HOME", "/nonexistent"}};
  s = {};
  REQUIRE(read_aws_settings("", s, error, from_fake_env));
  CHECK(s.access_key_id.empty());  // unsigned: a public bucket
  CHECK_FALSE(read_aws_settings("minio:9000", s, error, from_fake_env));
  CHECK_THAT(error, Catch::Matchers::Contains("not a URL"));
}

TEST_CASE("gs:// reads HMAC keys, else the AWS key, and Cloud Storage's endpoint", "[bucket]") {
  std::string error;
  AwsSettings s;
  fake_env = {{"HOME", "/nonexistent"}, {"GOOGLE_HMAC_ACCESS_ID", "GOOGHMAC"}, {"GOOGLE_HMAC_SECRET", "g1"},
              {"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "s3"}, {"AWS_ENDPOINT_URL", "http://minio:9000"}};
  REQUIRE(read_gcs_settings("", s, error, from_fake_env));
  CHECK(s.access_key_id == "GOOGHMAC");
  CHECK(s.endpoint == "https://storage.googleapis.com");  // not the S3 endpoint of the environment
  CHECK(s.region == "auto");
  CHECK(s.path_style);
  fake_env = {{"HOME", "/nonexistent"}, {"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "s3"}};
  s = {};
  REQUIRE(read_gcs_settings("http://127.0.0.1:9000/", s, error, from_fake_env));
  CHECK(s.access_key_id == "AKIDENV");
  CHECK(s.endpoint == "http://127.0.0.1:9000");
  fake_env = {{"HOME", "/nonexistent"}, {"GOOGLE_HMAC_ACCESS_ID", "GOOGHMAC"}};
  CHECK_FALSE(read_gcs_settings("", s, error, from_fake_env));
  std::string e2;
  auto g = parse_bucket_url("gs://logs-2026/a/", e2);
  REQUIRE(g);
  CHECK(g->scheme == "gs");
  CHECK(g->object_url("a/b.txt") == "gs://logs-2026/a/b.txt");
}
