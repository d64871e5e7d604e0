#pragma once
// Who sfmc-scan is to an object store, and where the store is: read from the places
// the AWS tools read (environment, ~/.aws/credentials, ~/.aws/config), never printed
// and never written into a report.
#include <string>

namespace sfmc {

struct AwsSettings {
  std::string access_key_id;      // "" : requests go unsigned (a public bucket)
  std::string secret_access_key;
  std::string session_token;      // temporary credentials (AWS_SESSION_TOKEN)
  std::string region = "us-east-1";
  std::string endpoint;           // "" : AWS's own (https://BUCKET.s3.REGION.amazonaws.com)
  bool path_style = false;        // https://ENDPOINT/BUCKET/KEY: what MinIO, Ceph and IP endpoints need
  std::string ca_bundle;          // AWS_CA_BUNDLE: an endpoint with its own certificate authority
  std::string credentials_from;   // where the key came from, for -v ("environment", "profile default")
};

// Reads the settings. `endpoint_flag` (--endpoint-url) comes before AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL and the profile's endpoint_url. `environment` is getenv (a test gives
// its own). False with `error` set when the settings name something that is not there
// (an AWS_PROFILE with no such profile).
bool read_aws_settings(const std::string& endpoint_flag, AwsSettings& out, std::string& error,
                       const char* (*environment)(const char*) = nullptr);

// The same for Cloud Storage's S3-compatible XML API (gs://): HMAC keys from
// GOOGLE_HMAC_ACCESS_ID and GOOGLE_HMAC_SECRET, else the AWS settings' key; the
// endpoint https://storage.googleapis.com (or `endpoint_flag`), path-style, region "auto".
bool read_gcs_settings(const std::string& endpoint_flag, AwsSettings& out, std::string& error,
                       const char* (*environment)(const char*) = nullptr);

}  // namespace sfmc
