#include "engine/blob_scanner.hpp"

#include "findings/finding_builder.hpp"
#include "sources/input_reader.hpp"

namespace sfmc {

BlobScanner::BlobScanner(const ScanEngine& engine, std::size_t chunk_size)
    : engine_(engine), scratch_(engine.database()), matcher_(engine.database(), scratch_, chunk_size) {}

ScanEngine::BufferScan BlobScanner::scan(std::string_view data, const std::string& path) {
  FindingBuilder builder(engine_.rules(), path);
  StreamMatcher::Sink on_match = [&](const MatchEvent& ev) {
    if (auto m = engine_.validator().validate(ev)) builder.add(*m);
  };
  match_buffer(data, matcher_, on_match);
  ScanEngine::BufferScan out;
  out.context = builder.context_hits();
  out.findings = builder.take();
  return out;
}

}  // namespace sfmc
