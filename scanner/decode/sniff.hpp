#pragma once
// What a stream of bytes is, from its first bytes: an archive or compressed file (by
// magic number, never by name), UTF-16 text (by BOM, or by where the NUL bytes fall),
// a MIME message or mbox (by its header block), a PDF (%PDF-), other binary data (NUL
// bytes), or text.
#include <string_view>

namespace sfmc {

enum class ContentKind { text, utf16le, utf16be, binary, archive, mail, pdf };

// `head` is the start of the content (a few KiB is plenty).
ContentKind sniff(std::string_view head);

}  // namespace sfmc
