// The GMime side of decode/mail: built as the module "mail" (core/module_loader.hpp),
// so that GMime, glib and gobject are mapped only once a scan meets a mail file.
#include <gmime/gmime.h>

#include <algorithm>
#include <mutex>

#include "core/module_loader.hpp"
#include "decode/mail.hpp"

namespace sfmc {

namespace {

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

template <typename T>
struct Unref {
  T* p;
  explicit Unref(T* x) : p(x) {}
  ~Unref() {
    if (p) g_object_unref(p);
  }
  Unref(const Unref&) = delete;
  Unref& operator=(const Unref&) = delete;
};

struct Walker {
  std::string& text;
  std::vector<MailPart>& parts;
  uint64_t budget;
  std::string& problem;
  std::string& limit;
  std::vector<std::string> prefix;  // "message 2" in an mbox
  int counter = 0;                  // leaf parts of this message, for unnamed ones

  // The part's body as it lies in the file, when GMime kept it as a window on our stream.
  bool body_range(GMimeDataWrapper* content, int64_t& begin, int64_t& end) {
    GMimeStream* s = g_mime_data_wrapper_get_stream(content);
    if (!s || !GMIME_IS_STREAM_MEM(s)) return false;  // a window (bounds) on the parsed stream when persisted
    begin = s->bound_start;
    end = s->bound_end;
    return begin >= 0 && end >= begin && static_cast<uint64_t>(end) <= text.size();
  }

  void leaf(GMimePart* part) {
    ++counter;
    GMimeContentEncoding enc = g_mime_part_get_content_encoding(part);
    const char* encoding = enc == GMIME_CONTENT_ENCODING_BASE64            ? "base64"
                           : enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ? "quoted-printable"
                           : enc == GMIME_CONTENT_ENCODING_UUENCODE        ? "uuencode"
                                                                           : nullptr;
    if (!encoding) return;  // 7bit, 8bit, binary: matched where it lies, in `text`
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!content) return;
    int64_t begin = 0, end = 0;
    const bool in_file = body_range(content, begin, end);
    // Decoded bytes are at most the encoded length: check the budget before decoding.
    const uint64_t encoded_size = in_file ? static_cast<uint64_t>(end - begin) : 0;
    if (encoded_size > budget) {
      limit = "encoded parts past the expansion limit (--archive-max-bytes) were matched as they are, not decoded";
      return;
    }
    Unref<GMimeStream> out(g_mime_stream_mem_new());
    if (g_mime_data_wrapper_write_to_stream(content, out.p) < 0) {
      problem = "a part could not be decoded; it was matched as it is";
      return;
    }
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.p));
    MailPart p;
    p.chain = prefix;
    const char* filename = g_mime_part_get_filename(part);
    p.chain.push_back(filename && *filename ? std::string(filename) : "part " + std::to_string(counter));
    p.encoding = encoding;
    if (in_file) {
      p.body_begin = begin;
      p.body_end = end;
    }
    if (bytes) p.decoded.assign(reinterpret_cast<const char*>(bytes->data), bytes->len);
    budget -= std::min<uint64_t>(budget, p.decoded.size());
    parts.push_back(std::move(p));
    // Blank the encoded body in the text (not its line breaks): it is matched decoded.
    if (in_file)
      for (int64_t i = begin; i < end; ++i)
        if (text[static_cast<std::size_t>(i)] != '\n' && text[static_cast<std::size_t>(i)] != '\r') text[static_cast<std::size_t>(i)] = ' ';
  }

  void walk(GMimeObject* obj, int depth) {
    if (!obj) return;
    if (depth > kMaxMailNesting) {
      limit = "parts nested more than " + std::to_string(kMaxMailNesting) +
              " deep were matched as they are, not decoded";
      return;
    }
    if (GMIME_IS_MULTIPART(obj)) {
      GMimeMultipart* mp = GMIME_MULTIPART(obj);
      const int n = g_mime_multipart_get_count(mp);
      for (int i = 0; i < n; ++i) walk(g_mime_multipart_get_part(mp, i), depth + 1);
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
      if (inner) walk(g_mime_message_get_mime_part(inner), depth + 1);
    } else if (GMIME_IS_PART(obj)) {
      leaf(GMIME_PART(obj));
    }
  }
};

MailContent parse_mail(std::string_view raw, uint64_t max_decoded) {
  init_gmime();
  MailContent out;
  out.text.assign(raw);
  const bool mbox = raw.substr(0, 5) == "From ";
  Unref<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  Unref<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
  g_mime_parser_set_format(parser.p, mbox ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
  g_mime_parser_set_persist_stream(parser.p, TRUE);  // part bodies stay windows on the file: their offsets are known
  Walker walker{out.text, out.parts, max_decoded, out.problem, out.limit, {}};
  int messages = 0;
  while (!g_mime_parser_eos(parser.p)) {
    Unref<GMimeMessage> message(g_mime_parser_construct_message(parser.p, nullptr));
    if (!message.p) {
      if (messages == 0) out.problem = "not a readable MIME message; matched as text";
      break;
    }
    ++messages;
    walker.prefix.clear();
    if (mbox) walker.prefix.push_back("message " + std::to_string(messages));
    walker.counter = 0;
    walker.walk(g_mime_message_get_mime_part(message.p), 0);
    if (!mbox) break;
  }
  return out;
}

}  // namespace

}  // namespace sfmc

extern "C" bool sfmc_mail_read(std::string_view raw, uint64_t max_decoded, sfmc::MailContent* out) noexcept {
  return sfmc::completes([&] { *out = sfmc::parse_mail(raw, max_decoded); });
}
