// What Bitrix24 POSTs to us: the PHP-style forms of app frames and events
// (webhooks/bitrix24/portal_post.h) and the form and query decoding under them
// (connector/http/message.h). Input: the query string on the first line, then the form body.
#include <cctype>
#include <string>

#include "connector/domain/error.h"
#include "connector/http/message.h"
#include "tests/fuzz/fuzz_check.h"
#include "webhooks/bitrix24/portal_post.h"

namespace {

using namespace opdesk;

// Decoding never makes text longer: each %XX becomes one byte, everything else stays one byte.
void CheckForm(std::string_view text, const http::Params& params) {
  std::size_t decoded = 0;
  for (const auto& [key, value] : params) {
    decoded += key.size() + value.size();
  }
  FUZZ_CHECK(decoded <= text.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [query, body] = fuzz::SplitFirstLine(fuzz::AsText(data, size));
  http::Request request;
  request.method = "POST";
  request.path = "/b24/app";
  request.query = std::string(query);
  request.query_params = http::ParseForm(query);
  request.body = std::string(body);
  CheckForm(query, request.query_params);
  CheckForm(body, http::ParseForm(body));

  try {
    const bitrix24::FramePost frame = bitrix24::ParseFramePost(request);
    FUZZ_CHECK(!frame.member_id.empty());
    FUZZ_CHECK(!frame.auth_id.empty());
    // The token store computes now + auth_expires_s * 1000; the parser keeps that in 64 bits.
    FUZZ_CHECK(frame.auth_expires_s >= 1 && frame.auth_expires_s <= 7 * 24 * 3600);
    const std::string host = bitrix24::HostOfEndpoint(frame.server_endpoint);
    FUZZ_CHECK(host.size() <= frame.server_endpoint.size());
  } catch (const Error&) {
  }
  try {
    const bitrix24::EventPost event = bitrix24::ParseEventPost(request.body);
    FUZZ_CHECK(!event.event.empty());
    for (const char c : event.event) {
      FUZZ_CHECK(!std::islower(static_cast<unsigned char>(c)));
    }
  } catch (const Error&) {
  }
  return 0;
}
