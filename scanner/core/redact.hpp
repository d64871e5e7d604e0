#pragma once
// Secrets never reach output in full unless the user asks (--show-secrets).
#include <string>
#include <string_view>
#include <vector>

namespace sfmc {

// "SFMC_aB3x…9f2c": the known prefix plus four characters, an ellipsis, the last four.
// Short values keep only their first and last character so a redacted form never
// reveals more than a few characters of entropy.
std::string redact(std::string_view secret, std::string_view known_prefix);

// Redacts, in text already made printable, everything that starts like a token: one of
// `prefixes` (any case) followed by at least 8 letters or digits, whatever became of it
// (dropped for its checksum, followed by more letters, cut by the window's edge).
// Already redacted forms ("SFMC_aB3x…") are left as they are.
std::string redact_token_like(std::string_view text, const std::vector<std::string>& prefixes);

// Keeps printable ASCII and well-formed UTF-8; tabs become spaces and every other byte
// '?', so a snippet from a binary file cannot disturb a terminal or a JSON consumer.
std::string printable(std::string_view bytes);

// Any string from scanned data (paths, member names, author names, snippets, refs),
// made safe to print on a terminal: C0 controls, ESC and DEL as \xNN, C1 controls and
// the bidirectional overrides and isolates (U+202A-202E, U+2066-2069, U+200E/F, U+061C)
// as \u{NNNN}, bytes that are not UTF-8 as \xNN. Nothing can move the cursor, change
// colours, set the window title or reorder what the reader sees; everything stays
// visible. Tabs become spaces.
std::string terminal_text(std::string_view bytes);

}  // namespace sfmc
