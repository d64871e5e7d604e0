#include "sources/bucket/s3_xml.hpp"

#include <expat.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>

#include "core/percent_encoding.hpp"

namespace sfmc {

namespace {

// Walks the elements of a document, calling `on_text(path, text)` for each element's
// text with its path of element names joined by '/' ("ListBucketResult/Contents/Key"),
// and `on_end(path)` as each element closes.
struct XmlWalk {
  std::function<void(const std::string&, const std::string&)> on_text;
  std::function<void(const std::string&)> on_end;
  std::string path, text;
  bool run(std::string_view xml, std::string& error) {
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) {
      error = "out of memory";
      return false;
    }
    XML_SetUserData(p, this);
    XML_SetElementHandler(
        p,
        [](void* self, const XML_Char* name, const XML_Char**) {
          auto* w = static_cast<XmlWalk*>(self);
          if (!w->path.empty()) w->path += '/';
          w->path += name;
          w->text.clear();
        },
        [](void* self, const XML_Char*) {
          auto* w = static_cast<XmlWalk*>(self);
          if (w->on_text) w->on_text(w->path, w->text);
          if (w->on_end) w->on_end(w->path);
          w->text.clear();
          const auto slash = w->path.rfind('/');
          w->path.erase(slash == std::string::npos ? 0 : slash);
        });
    XML_SetCharacterDataHandler(p, [](void* self, const XML_Char* s, int len) {
      static_cast<XmlWalk*>(self)->text.append(s, static_cast<std::size_t>(len));
    });
    const bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
    if (!ok)
      error = std::string("not XML: ") + XML_ErrorString(XML_GetErrorCode(p)) + " at line " +
              std::to_string(XML_GetCurrentLineNumber(p));
    XML_ParserFree(p);
    return ok;
  }
};

}  // namespace

bool parse_list_page(std::string_view xml, bool keys_url_encoded, ListPage& page, std::string& error) {
  page = {};
  bool is_listing = false;
  BucketObject current;
  XmlWalk w;
  w.on_text = [&](const std::string& path, const std::string& text) {
    if (path == "ListBucketResult/Contents/Key") current.key = keys_url_encoded ? percent_decode(text) : text;
    else if (path == "ListBucketResult/Contents/Size") current.size = std::strtoull(text.c_str(), nullptr, 10);
    else if (path == "ListBucketResult/Contents/ETag") {
      current.etag = text;
      if (current.etag.size() >= 2 && current.etag.front() == '"' && current.etag.back() == '"')
        current.etag = current.etag.substr(1, current.etag.size() - 2);
    } else if (path == "ListBucketResult/Contents/LastModified") {
      current.last_modified = text;
      std::tm tm{};
      const char* end = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
      current.modified = end ? static_cast<int64_t>(timegm(&tm)) : 0;
    }
    else if (path == "ListBucketResult/IsTruncated") page.truncated = text == "true";
    else if (path == "ListBucketResult/NextContinuationToken") page.next_token = text;
  };
  w.on_end = [&](const std::string& path) {
    if (path == "ListBucketResult") is_listing = true;
    if (path == "ListBucketResult/Contents") {
      page.objects.push_back(std::move(current));
      current = {};
    }
  };
  if (!w.run(xml, error)) return false;
  if (!is_listing) {
    error = "the answer is not an object listing";
    return false;
  }
  if (page.truncated && page.next_token.empty()) {
    error = "the listing says there is more but gives no continuation token";
    return false;
  }
  return true;
}

StoreError parse_store_error(std::string_view xml) {
  StoreError e;
  XmlWalk w;
  w.on_text = [&](const std::string& path, const std::string& text) {
    if (path == "Error/Code") e.code = text;
    else if (path == "Error/Message") e.message = text;
  };
  std::string ignored;
  w.run(xml, ignored);
  return e;
}

}  // namespace sfmc
