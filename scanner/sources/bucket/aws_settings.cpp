#include "sources/bucket/aws_settings.hpp"

#include <cstdlib>
#include <fstream>
#include <map>

namespace sfmc {

namespace {

using Section = std::map<std::string, std::string>;

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// An AWS shared file: [section] headers, `name = value` lines, '#' and ';' comments.
// Nested settings (an "s3 =" block of indented lines) are read as "s3.name".
std::map<std::string, Section> read_ini(const std::string& path, bool& exists) {
  std::map<std::string, Section> out;
  std::ifstream in(path);
  exists = static_cast<bool>(in);
  std::string line, section, nested;
  while (std::getline(in, line)) {
    const bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = trim(line.substr(1, line.size() - 2));
      nested.clear();
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string name = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    if (!indented) nested.clear();
    if (!indented && value.empty()) {
      nested = name;  // "s3 =" opens a block of indented settings
      continue;
    }
    out[section][indented && !nested.empty() ? nested + "." + name : name] = value;
  }
  return out;
}

std::string home_file(const char* (*env)(const char*), const char* variable, const char* fallback) {
  if (const char* v = env(variable); v && *v) return v;
  const char* home = env("HOME");
  return std::string(home ? home : "") + "/.aws/" + fallback;
}

// An endpoint without its trailing '/' (the bucket or key follows it); false with
// `error` when it is not a URL.
bool normal_endpoint(std::string& endpoint, std::string& error) {
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  if (!endpoint.empty() && endpoint.find("://") == std::string::npos) {
    error = "the endpoint '" + endpoint + "' is not a URL: write http://HOST:PORT or https://HOST";
    return false;
  }
  return true;
}

}  // namespace

bool read_aws_settings(const std::string& endpoint_flag, AwsSettings& out, std::string& error,
                       const char* (*environment)(const char*)) {
  auto env = environment ? environment : +[](const char* name) -> const char* { return std::getenv(name); };
  auto get = [&](const char* name) -> std::string {
    const char* v = env(name);
    return v ? v : "";
  };
  const std::string named_profile = !get("AWS_PROFILE").empty() ? get("AWS_PROFILE") : get("AWS_DEFAULT_PROFILE");
  const std::string profile = named_profile.empty() ? "default" : named_profile;
  bool have_credentials_file = false, have_config_file = false;
  auto credentials = read_ini(home_file(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials"), have_credentials_file);
  auto config = read_ini(home_file(env, "AWS_CONFIG_FILE", "config"), have_config_file);
  const std::string config_section = profile == "default" ? "default" : "profile " + profile;
  const bool in_credentials = credentials.count(profile) > 0, in_config = config.count(config_section) > 0;
  if (!named_profile.empty() && !in_credentials && !in_config) {
    error = "AWS_PROFILE names the profile '" + profile + "', which is in neither ~/.aws/credentials nor ~/.aws/config";
    return false;
  }
  const Section none;
  const Section& cred = in_credentials ? credentials[profile] : none;
  const Section& conf = in_config ? config[config_section] : none;
  auto setting = [&](const std::string& name) -> std::string {
    if (auto it = cred.find(name); it != cred.end()) return it->second;
    if (auto it = conf.find(name); it != conf.end()) return it->second;
    return {};
  };

  // The environment's key wins over a profile's, unless a profile was named (as the AWS CLI).
  if (!get("AWS_ACCESS_KEY_ID").empty() && named_profile.empty()) {
    out.access_key_id = get("AWS_ACCESS_KEY_ID");
    out.secret_access_key = get("AWS_SECRET_ACCESS_KEY");
    out.session_token = get("AWS_SESSION_TOKEN");
    out.credentials_from = "environment (AWS_ACCESS_KEY_ID)";
  } else if (!setting("aws_access_key_id").empty()) {
    out.access_key_id = setting("aws_access_key_id");
    out.secret_access_key = setting("aws_secret_access_key");
    out.session_token = setting("aws_session_token");
    out.credentials_from = "profile " + profile;
  } else if (!get("AWS_ACCESS_KEY_ID").empty()) {
    out.access_key_id = get("AWS_ACCESS_KEY_ID");
    out.secret_access_key = get("AWS_SECRET_ACCESS_KEY");
    out.session_token = get("AWS_SESSION_TOKEN");
    out.credentials_from = "environment (AWS_ACCESS_KEY_ID)";
  } else {
    out.credentials_from = "none: requests are unsigned (a public bucket)";
  }
  if (!out.access_key_id.empty() && out.secret_access_key.empty()) {
    error = "an AWS access key id without its secret access key (" + out.credentials_from + ")";
    return false;
  }

  for (const std::string& r : {get("AWS_REGION"), get("AWS_DEFAULT_REGION"), setting("region")})
    if (!r.empty()) {
      out.region = r;
      break;
    }
  for (const std::string& e : {endpoint_flag, get("AWS_ENDPOINT_URL_S3"), get("AWS_ENDPOINT_URL"),
                               setting("s3.endpoint_url"), setting("endpoint_url")})
    if (!e.empty()) {
      out.endpoint = e;
      break;
    }
  if (!normal_endpoint(out.endpoint, error)) return false;
  // An endpoint of one's own (MinIO, Ceph, R2, an IP) is addressed path-style unless the
  // profile says virtual; AWS's own, by bucket host name.
  const std::string style = setting("s3.addressing_style");
  out.path_style = style == "path" || (!out.endpoint.empty() && style != "virtual");
  out.ca_bundle = !get("AWS_CA_BUNDLE").empty() ? get("AWS_CA_BUNDLE") : setting("ca_bundle");
  return true;
}

bool read_gcs_settings(const std::string& endpoint_flag, AwsSettings& out, std::string& error,
                       const char* (*environment)(const char*)) {
  auto env = environment ? environment : +[](const char* name) -> const char* { return std::getenv(name); };
  const char* id = env("GOOGLE_HMAC_ACCESS_ID");
  const char* secret = env("GOOGLE_HMAC_SECRET");
  if (id && *id) {
    if (!secret || !*secret) {
      error = "GOOGLE_HMAC_ACCESS_ID without GOOGLE_HMAC_SECRET";
      return false;
    }
    out.access_key_id = id;
    out.secret_access_key = secret;
    out.credentials_from = "environment (GOOGLE_HMAC_ACCESS_ID)";
  } else {
    AwsSettings aws;
    if (!read_aws_settings("", aws, error, environment)) return false;
    out.access_key_id = aws.access_key_id;
    out.secret_access_key = aws.secret_access_key;
    out.session_token = aws.session_token;
    out.credentials_from = aws.credentials_from;
    out.ca_bundle = aws.ca_bundle;
  }
  out.endpoint = endpoint_flag.empty() ? "https://storage.googleapis.com" : endpoint_flag;
  if (!normal_endpoint(out.endpoint, error)) return false;
  out.region = "auto";
  out.path_style = true;
  return true;
}

}  // namespace sfmc
