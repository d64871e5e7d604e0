#pragma once
// MIME messages (.eml) and mailboxes (mbox), parsed with GMime: a well-kept parser
// that already knows every transfer encoding, header folding and multipart quirk.
//
// A message becomes two kinds of content: the raw text itself, with the bodies of
// encoded parts blanked out (headers and plain bodies keep their lines and columns in
// the file), and each encoded part decoded (base64, quoted-printable with its soft line
// breaks joined, uuencode), named by its attachment file name. No part is matched twice.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sfmc {

// Whether `head` (the start of a stream) looks like a MIME message or an mbox.
bool looks_like_mail(std::string_view head);

struct MailPart {
  std::vector<std::string> chain;  // below the mail file: {"message 2", "sfmc.env"} in an mbox, {"sfmc.env"} in a message
  std::string encoding;            // base64, quoted-printable, uuencode
  std::string decoded;
  // Where its encoded body lies in the raw message, when known (bytes [begin, end)): a
  // finding in a base64 part is located there, at the characters that encode it.
  int64_t body_begin = -1, body_end = -1;
};

// Multiparts and attached messages nested inside one another that are walked; deeper
// parts are an attack, not a mail: left in the text as they are, with a warning.
constexpr int kMaxMailNesting = 64;

struct MailContent {
  std::string text;              // the raw message(s), encoded bodies blanked (same length, same line breaks)
  std::vector<MailPart> parts;   // encoded parts, decoded
  std::string problem;           // why parsing stopped early, if it did ("" when it did not)
  std::string limit;             // which parts a limit left encoded (matched as they are), if any
  std::string unavailable;       // the GMime module could not be loaded, and why: `text` is the raw message
};

// `max_decoded` bounds the decoded bytes of all parts together: parts past it are left
// in `text` as they are (still matched, encoded) and `limit` says so, as it does for
// parts nested deeper than kMaxMailNesting. GMime is
// loaded on first use (core/module_loader.hpp).
MailContent read_mail(std::string_view raw, uint64_t max_decoded);

}  // namespace sfmc

// The entry point of the module "mail" (decode/mail_gmime.cpp): read_mail's work.
// false when it failed (out of memory), with `out` left for the caller to reset.
extern "C" bool sfmc_mail_read(std::string_view raw, uint64_t max_decoded, sfmc::MailContent* out) noexcept;
