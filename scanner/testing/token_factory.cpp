#include "testing/token_factory.hpp"

#include <cctype>
#include <stdexcept>

#include "validate/checksum.hpp"
#include "validate/placeholder.hpp"

namespace sfmc {

TokenFactory::TokenFactory(uint64_t seed) : rng_(seed) {}

std::string TokenFactory::random_string(const std::string& alphabet, std::size_t n) {
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out(n, ' ');
  for (char& c : out) c = alphabet[pick(rng_)];
  return out;
}

std::string TokenFactory::token(const Rule& rule, const TokenVariant& v) {
  if (!rule.shape) throw std::invalid_argument("rule '" + rule.id + "' has no shape to generate tokens from");
  const TokenShape& shape = *rule.shape;
  std::size_t body_len = shape.after_prefix;
  std::size_t sum_len = rule.checksum ? rule.checksum->width() : 0;
  std::size_t random_len = body_len > sum_len ? body_len - sum_len : 0;

  for (int attempt = 0; attempt < 1000; ++attempt) {
    std::string body;
    if (v.repeat) {
      body.assign(random_len, *v.repeat);
    } else {
      body = v.body_start.substr(0, random_len);
      body += random_string(shape.alphabet, random_len - body.size());
      // A random body that happens to look fake would make a "valid" example flaky.
      if (v.body_start.empty() && rule.placeholder && !placeholder_reason(*rule.placeholder, body).empty()) continue;
    }
    std::string token = rule.prefix + body;
    if (rule.checksum) {
      std::string sum = compute_checksum(*rule.checksum, checksum_covered(*rule.checksum, token + std::string(sum_len, '0'), rule.prefix));
      if (v.bad_checksum) sum.back() = sum.back() == '0' ? '1' : '0';
      if (v.upper_checksum) {
        bool has_letter = false;
        for (char& c : sum) {
          if (std::isalpha(static_cast<unsigned char>(c))) has_letter = true;
          c = static_cast<char>(std::isupper(static_cast<unsigned char>(c)) ? std::tolower(c) : std::toupper(c));
        }
        if (!has_letter) continue;  // case cannot change: try another body
      }
      token += sum;
    }
    if (v.prefix) token = *v.prefix + token.substr(rule.prefix.size());
    if (v.drop) token.resize(token.size() > v.drop ? token.size() - v.drop : 0);
    return token;
  }
  throw std::runtime_error("rule '" + rule.id + "': cannot generate a token of this variant");
}

namespace {

// RFC 4648 base64, padded: how a Kubernetes Secret or a CI export holds a value.
std::string base64(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? alphabet[n & 63] : '=';
  }
  return out;
}

}  // namespace

std::string expand_template(const std::string& text, const Rule& rule, TokenFactory& factory) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    std::size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) throw std::invalid_argument("unclosed {{ in example: " + text);
    out.append(text, pos, open - pos);
    std::string spec = text.substr(open + 2, close - open - 2);
    std::string name = spec.substr(0, spec.find(':'));
    std::string args = spec.find(':') == std::string::npos ? "" : spec.substr(spec.find(':') + 1);
    if (name == "token") {
      TokenVariant v;
      bool encode = false;  // base64: the token as a Kubernetes Secret holds it
      std::size_t p = 0;
      while (p < args.size()) {
        std::size_t comma = args.find(',', p);
        std::string opt = args.substr(p, comma == std::string::npos ? std::string::npos : comma - p);
        p = comma == std::string::npos ? args.size() : comma + 1;
        std::string key = opt.substr(0, opt.find('='));
        std::string val = opt.find('=') == std::string::npos ? "" : opt.substr(opt.find('=') + 1);
        if (key == "bad-checksum") v.bad_checksum = true;
        else if (key == "upper-checksum") v.upper_checksum = true;
        else if (key == "body") v.body_start = val;
        else if (key == "repeat" && val.size() == 1) v.repeat = val[0];
        else if (key == "prefix") v.prefix = val;
        else if (key == "drop") v.drop = std::stoul(val);
        else if (key == "base64") encode = true;
        else throw std::invalid_argument("unknown token option '" + opt + "' in example: " + text);
      }
      out += encode ? base64(factory.token(rule, v)) : factory.token(rule, v);
    } else if (name == "alnum" || name == "lower") {
      static const std::string alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
      static const std::string lower = "0123456789abcdefghijklmnopqrstuvwxyz";
      out += factory.random_string(name == "alnum" ? alnum : lower, std::stoul(args));
    } else {
      throw std::invalid_argument("unknown template {{" + spec + "}} in example: " + text);
    }
    pos = close + 2;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace sfmc
