// Text for people: one block per finding, as found, and a summary line at the end.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <ostream>
#include <sstream>

#include "core/redact.hpp"
#include "report/reporter.hpp"

namespace sfmc {

std::unique_ptr<Reporter> make_json_reporter(const ReportOptions& options, std::ostream& out);
std::unique_ptr<Reporter> make_jsonl_reporter(const ReportOptions& options, std::ostream& out);
std::unique_ptr<Reporter> make_sarif_reporter(const RuleSet& rules, const ReportOptions& options, std::ostream& out);
std::unique_ptr<Reporter> make_gitlab_reporter(const RuleSet& rules, const ReportOptions& options, std::ostream& out);

namespace {

std::string human_bytes(uint64_t n) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

class TextReporter final : public Reporter {
 public:
  TextReporter(const ReportOptions& options, std::ostream& out) : options_(options), out_(out) {}

  void on_input(InputResult&& r) override {
    for (const Finding& f : r.findings) print(f);
    if (r.skipped && (options_.verbose || !skipped_by_choice(r.skipped->reason))) {
      std::cerr << paint("\x1b[33m", "warning") << ": " << terminal_text(r.skipped->path) << ": skipped ("
                << to_string(r.skipped->reason) << "): " << terminal_text(r.skipped->detail) << '\n';
    }
  }

  void finish(const ScanStats& stats) override {
    if (!options_.quiet) out_ << (stats.findings() ? "\n" : "") << summary_line(stats) << '\n';
    out_.flush();
  }

 private:
  std::string paint(const char* code, std::string_view text) const {
    if (!options_.colour) return std::string(text);
    return std::string(code) + std::string(text) + "\x1b[0m";
  }

  void print(const Finding& f) {
    const char* colour = f.level == Level::error ? "\x1b[1;31m" : f.level == Level::warning ? "\x1b[33m" : "\x1b[36m";
    std::ostringstream where;
    if (!f.location.path.empty() || !f.git) where << terminal_text(f.location.path);
    else if (f.git->kind == GitObjectKind::commit_message) where << "commit " << terminal_text(f.git->commit.substr(0, 12)) << " message";
    else if (f.git->kind == GitObjectKind::tag_message) where << "tag " << terminal_text(f.git->tag) << " message";
    else where << "blob " << terminal_text(f.git->blob.substr(0, 12));
    where << ':' << f.location.line << ':' << f.location.column;
    out_ << paint(colour, to_string(f.level)) << ' ' << paint("\x1b[1m", where.str()) << ' ' << f.rule_id << ' '
         << terminal_text(options_.show_secrets ? f.secret : f.secret_redacted) << ' ' << to_string(f.verdict);
    if (!f.reason.empty()) out_ << " (" << terminal_text(f.reason) << ')';
    if (!f.decoded.empty()) out_ << " [decoded from " << terminal_text(decoded_text(f.decoded)) << ']';
    if (!f.verification.empty()) out_ << " [verification: " << terminal_text(f.verification) << ']';
    if (f.suppression) out_ << " [suppressed: " << terminal_text(f.suppression->justification) << ']';
    if (f.git && !f.git->allow_comment_added_by.empty())
      out_ << " [its allow comment is added by commit " << terminal_text(f.git->allow_comment_added_by.substr(0, 12))
           << " of these changes: not honoured]";
    out_ << '\n';
    out_ << "    " << terminal_text(options_.show_secrets ? f.snippet_revealed : f.snippet) << '\n';
    for (const ContextHit& c : f.context)
      out_ << "    near " << c.rule_id << ' ' << terminal_text(c.value) << " (line " << c.line << ")\n";
    if (f.git) {
      if (f.git->kind == GitObjectKind::tag_message)
        out_ << "    tag " << terminal_text(f.git->tag_object.substr(0, 12)) << ' ' << terminal_text(f.git->date) << ' '
             << terminal_text(f.git->author) << (f.git->reachable ? "" : " (unreachable from any ref)") << '\n';
      else if (!f.git->commit.empty())
        out_ << "    commit " << terminal_text(f.git->commit.substr(0, 12)) << ' ' << terminal_text(f.git->date) << ' '
             << terminal_text(f.git->author) << (f.git->reachable ? "" : " (unreachable from any ref)") << '\n';
      else if (!f.git->reachable)
        out_ << "    blob " << terminal_text(f.git->blob.substr(0, 12)) << " unreachable from any ref, in no commit\n";
      if (!f.git->refs.empty()) {
        out_ << "    on";
        for (std::size_t i = 0; i < f.git->refs.size() && i < 5; ++i) out_ << ' ' << terminal_text(f.git->refs[i]);
        uint64_t total = std::max<uint64_t>(f.git->ref_count, f.git->refs.size());
        if (total > 5) out_ << " and " << total - 5 << " more";
        out_ << '\n';
      }
    }
  }

  ReportOptions options_;
  std::ostream& out_;
};

// "3 checksum-valid, 1 placeholder"
template <typename Key>
std::string join_counts(const std::map<Key, uint64_t>& counts) {
  std::string out;
  for (const auto& [key, n] : counts) out += (out.empty() ? "" : ", ") + std::to_string(n) + ' ' + std::string(to_string(key));
  return out;
}

}  // namespace

std::string summary_line(const ScanStats& stats) {
  std::ostringstream s;
  double mbps = stats.seconds > 0 ? static_cast<double>(stats.bytes_scanned) / 1e6 / stats.seconds : 0.0;
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.2f s (%.0f MB/s)", stats.seconds, mbps);
  s << "scanned " << stats.inputs_scanned << (stats.inputs_scanned == 1 ? " input, " : " inputs, ")
    << human_bytes(stats.bytes_scanned) << " in " << rate << ": " << stats.findings()
    << (stats.findings() == 1 ? " finding" : " findings");
  if (stats.findings()) s << " (" << join_counts(stats.findings_by_verdict) << ')';
  if (stats.suppressed) s << "; " << stats.suppressed << " suppressed";
  if (stats.reported_before) s << "; " << stats.reported_before << " reported before (--state; --report-all shows them)";
  if (stats.unchanged)
    s << "; " << stats.unchanged << (stats.unchanged == 1 ? " object" : " objects") << " unchanged since the last sweep, not read (--state)";
  if (!stats.new_allow_comments.empty()) {
    s << "; " << stats.new_allow_comments.size()
      << (stats.new_allow_comments.size() == 1 ? " allow comment" : " allow comments")
      << " added by the changes, not honoured:";
    for (const std::string& where : stats.new_allow_comments) s << ' ' << where;
  }
  s << "; " << stats.skipped() << " skipped";
  if (stats.skipped()) s << " (" << join_counts(stats.skipped_by_reason) << ')';
  return s.str();
}

std::unique_ptr<Reporter> make_reporter(OutputFormat format, const RuleSet& rules, const ReportOptions& options,
                                        std::ostream& out) {
  switch (format) {
    case OutputFormat::sarif: return make_sarif_reporter(rules, options, out);
    case OutputFormat::json: return make_json_reporter(options, out);
    case OutputFormat::jsonl: return make_jsonl_reporter(options, out);
    case OutputFormat::text: return std::make_unique<TextReporter>(options, out);
    case OutputFormat::gitlab: return make_gitlab_reporter(rules, options, out);
  }
  return nullptr;
}

}  // namespace sfmc
