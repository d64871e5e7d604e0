#pragma once
// The one place that says what the process exit status means.

namespace sfmc {

enum class ExitCode : int {
  clean = 0,     // no finding at or above --fail-on
  findings = 1,  // at least one finding at or above --fail-on
  error = 2,     // bad usage, unreadable rules, output that could not be written
};

}  // namespace sfmc
