#include "sources/git/objects.hpp"

#include <charconv>

namespace sfmc::git {

namespace {

bool parse_hex_id(std::string_view text, ObjectId& out) {
  if (text.size() < 40) return false;
  for (std::size_t i = 0; i < 20; ++i) {
    int v = 0;
    for (int k = 0; k < 2; ++k) {
      char c = text[2 * i + static_cast<std::size_t>(k)];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + d;
    }
    out[i] = static_cast<unsigned char>(v);
  }
  return true;
}

// Splits the header lines from the message ("\n\n" ends the headers). Calls
// `header(name, value)` per line; continuation lines (a leading space: signatures,
// merged tags) are passed over.
template <typename Header>
std::size_t read_headers(std::string_view data, Header&& header) {
  std::size_t at = 0;
  while (at < data.size()) {
    std::size_t eol = data.find('\n', at);
    if (eol == std::string_view::npos) return data.size();
    if (eol == at) return at + 1;  // the blank line
    std::string_view line = data.substr(at, eol - at);
    if (line[0] != ' ') {
      std::size_t sp = line.find(' ');
      if (sp != std::string_view::npos) header(line.substr(0, sp), line.substr(sp + 1));
    }
    at = eol + 1;
  }
  return data.size();
}

// "Name <email> 1700000000 +0100": the seconds, just before the offset.
int64_t signature_time(std::string_view value) {
  std::size_t gt = value.rfind('>');
  if (gt == std::string_view::npos) return 0;
  std::string_view rest = value.substr(gt + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  int64_t t = 0;
  std::from_chars(rest.data(), rest.data() + rest.size(), t);
  return t;
}

}  // namespace

std::optional<RawCommit> parse_commit(std::string_view data) {
  RawCommit c;
  bool have_tree = false;
  std::size_t at = read_headers(data, [&](std::string_view name, std::string_view value) {
    if (name == "tree" && !have_tree) {
      have_tree = parse_hex_id(value, c.tree);
    } else if (name == "parent") {
      ObjectId p;
      if (parse_hex_id(value, p)) c.parents.push_back(p);
    } else if (name == "committer") {
      c.time = signature_time(value);
    }
  });
  if (!have_tree) return std::nullopt;
  c.message_at = at;
  c.message = data.substr(at);
  return c;
}

std::optional<RawTag> parse_tag(std::string_view data) {
  RawTag t;
  bool have_object = false;
  std::size_t at = read_headers(data, [&](std::string_view name, std::string_view value) {
    if (name == "object") have_object = parse_hex_id(value, t.target);
    else if (name == "type") t.target_type = value == "commit" ? 1 : value == "tree" ? 2 : value == "blob" ? 3 : value == "tag" ? 4 : 0;
    else if (name == "tag") t.name = value;
  });
  if (!have_object) return std::nullopt;
  t.message_at = at;
  t.message = data.substr(at);
  return t;
}

}  // namespace sfmc::git
