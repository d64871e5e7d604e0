#include <catch2/catch.hpp>

#include "validate/checksum.hpp"

using namespace sfmc;

namespace {
ChecksumSpec spec(ChecksumSpec::Algorithm a, ChecksumSpec::Encoding e,
                  ChecksumSpec::Coverage c = ChecksumSpec::Coverage::prefix_and_body) {
  ChecksumSpec s;
  s.algorithm = a;
  s.encoding = e;
  s.covers = c;
  return s;
}
using A = ChecksumSpec::Algorithm;
using E = ChecksumSpec::Encoding;
}  // namespace

TEST_CASE("checksums match zlib's published check values in every encoding", "[checksum]") {
  // CRC-32 of "123456789" is the standard check value 0xCBF43926.
  CHECK(compute_checksum(spec(A::crc32, E::hex_lower), "123456789") == "cbf43926");
  CHECK(compute_checksum(spec(A::crc32, E::hex_upper), "123456789") == "CBF43926");
  CHECK(compute_checksum(spec(A::crc32, E::hex_any), "123456789") == "cbf43926");
  CHECK(compute_checksum(spec(A::crc32, E::decimal), "123456789") == "3421780262");
  CHECK(compute_checksum(spec(A::crc32, E::base62), "123456789") == "3jZRME");
  CHECK(compute_checksum(spec(A::adler32, E::hex_lower), "Wikipedia") == "11e60398");
}

TEST_CASE("checksum encodings are zero-padded to their fixed width", "[checksum]") {
  // CRC-32 of the empty string is 0.
  CHECK(compute_checksum(spec(A::crc32, E::hex_lower), "") == "00000000");
  CHECK(compute_checksum(spec(A::crc32, E::base62), "") == "000000");
  CHECK(compute_checksum(spec(A::crc32, E::decimal), "") == "0000000000");
}

TEST_CASE("checksum_holds compares the token's tail with the covered part", "[checksum]") {
  ChecksumSpec lower = spec(A::crc32, E::hex_lower);
  CHECK(checksum_holds(lower, "123456789cbf43926", ""));
  CHECK_FALSE(checksum_holds(lower, "123456789cbf43927", ""));
  // hex-lower is exact about case; hex accepts either.
  CHECK_FALSE(checksum_holds(lower, "123456789CBF43926", ""));
  CHECK(checksum_holds(spec(A::crc32, E::hex_any), "123456789CBF43926", ""));
  // Too short to hold a checksum at all.
  CHECK_FALSE(checksum_holds(lower, "cbf43926", ""));
}

TEST_CASE("coverage 'body' leaves the prefix out of the checksum", "[checksum]") {
  ChecksumSpec body = spec(A::crc32, E::hex_lower, ChecksumSpec::Coverage::body);
  ChecksumSpec whole = spec(A::crc32, E::hex_lower);
  CHECK(checksum_covered(body, "PFX_123456789cbf43926", "PFX_") == "123456789");
  CHECK(checksum_covered(whole, "PFX_123456789cbf43926", "PFX_") == "PFX_123456789");
  CHECK(checksum_holds(body, "PFX_123456789cbf43926", "PFX_"));
  CHECK_FALSE(checksum_holds(whole, "PFX_123456789cbf43926", "PFX_"));
}
