#include "report/resume_state.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/temp_file.hpp"
#include "report/json_read.hpp"

namespace sfmc {

namespace {

std::string hex_of(const std::string& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += {digits[c >> 4], digits[c & 15]};
  return out;
}

std::optional<std::string> bytes_of_hex(const std::string& hex) {
  if (hex.size() % 2) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    auto v = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    int hi = v(hex[i]), lo = v(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

nlohmann::json hex_list(const std::vector<std::string>& names) {
  nlohmann::json out = nlohmann::json::array();
  for (const std::string& n : names) out.push_back(hex_of(n));
  return out;
}

}  // namespace

ResumeState::Checkpoint ResumeState::parse(std::string_view text, const std::string& path,
                                           const std::vector<std::string>& roots) {
  using namespace json_read;
  std::string why;
  nlohmann::json j = parse_untrusted(text, &why);
  if (j.is_discarded() || !j.is_object() || number(j, "version") != 1)
    throw std::runtime_error(path + " is not an sfmc-scan resume state" + (why.empty() ? "" : " (" + why + ")"));
  Checkpoint c;
  try {
    if (field(j, "roots_hex") != hex_list(roots)) {
      std::string given = field(j, "roots").dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      if (given.size() > 200) given = given.substr(0, 200) + "...";
      throw std::runtime_error(path + " belongs to a sweep of other paths: " + given);
    }
    c.completed = field(j, "completed").is_boolean() && field(j, "completed").get<bool>();
    if (j.contains("root")) {
      const std::size_t root = need_number(j["root"], "/root");
      std::optional<std::string> relative = bytes_of_hex(need_text(field(j, "relative_hex"), "/relative_hex"));
      if (!relative || root >= roots.size()) throw ShapeError("not a position in this sweep", "/root");
      c.point = ResumePoint{root, *relative};
    }
    c.output_bytes = field(j, "output_bytes").is_null() ? 0 : need_number(j["output_bytes"], "/output_bytes");
    c.undecoded = field(j, "undecoded").is_null() ? 0 : need_number(j["undecoded"], "/undecoded");
  } catch (const ShapeError& e) {
    throw std::runtime_error(path + ": a damaged sfmc-scan resume state: " + e.what());
  }
  return c;
}

void ResumeState::load(const std::vector<std::string>& roots, std::optional<ResumePoint>& point, bool& completed) {
  std::ifstream in(path_);
  if (!in) return;  // a first run
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Checkpoint c = parse(text, path_, roots);
  point = c.point;
  completed = c.completed;
  output_bytes_ = c.output_bytes;
  undecoded_ = c.undecoded;
  resumed_ = true;
}

void ResumeState::save(const std::vector<std::string>& roots, const std::optional<ResumePoint>& point, bool completed,
                       uint64_t output_bytes, uint64_t undecoded) const {
  nlohmann::json j = {{"version", 1}, {"roots", roots}, {"roots_hex", hex_list(roots)}, {"completed", completed},
                      {"output_bytes", output_bytes}, {"undecoded", undecoded}};
  if (point) {
    j["root"] = point->root;
    j["relative"] = point->relative;
    j["relative_hex"] = hex_of(point->relative);
  }
  const std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
  if (!planted_link(path_).empty()) return;  // refused when the sweep began; planted since
  const std::optional<std::string> target = atomic_target(path_);  // nullopt: a device, written in place
  if (target) {
    replace_file(*target, text, 0600);
  } else {
    std::ofstream out(path_);
    out << text;
  }
}

}  // namespace sfmc
