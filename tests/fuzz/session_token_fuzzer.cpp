// Session tokens of the opdesk UI (oauth/session_token.h). Verify takes the token from a cookie or
// header, so any bytes may reach it; it must answer with the claims or Unauthenticated, and it
// must never accept a token it did not issue: with the signing keys fixed, the only fuzzed inputs
// that verify are byte-identical to a token issued below (their text is in the seed corpus).
// Each input is also used as claims (tenant on the first line, user after it): Issue then Verify
// must give them back unchanged, whatever bytes they hold (up to Verify's size limit).
#include <algorithm>
#include <string>
#include <vector>

#include "connector/domain/error.h"
#include "oauth/session_token.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace opdesk;
using crypto::SessionClaims;
using crypto::SessionTokenSigner;

constexpr EpochMs kNow = 1'700'000'000'000;
constexpr std::size_t kMaxTokenSize = 8192;  // session_token.cpp
const std::string kCurrentKey(32, '\x11');
const std::string kOlderKey(32, '\x22');

struct Issued {
  std::string token;
  SessionClaims claims;
};

bool SameClaims(const SessionClaims& a, const SessionClaims& b) {
  return a.tenant_id == b.tenant_id && a.user_id == b.user_id && a.scope == b.scope &&
         a.issued_at_ms == b.issued_at_ms && a.expires_at_ms == b.expires_at_ms;
}

struct Fixture {
  SessionTokenSigner signer{kCurrentKey, {kOlderKey}};
  std::vector<Issued> valid;  // tokens that verify at kNow

  Fixture() {
    const SessionTokenSigner older_signer{kOlderKey};
    auto issue = [this](const SessionTokenSigner& by, SessionClaims claims) {
      valid.push_back({by.Issue(claims), std::move(claims)});
    };
    issue(signer, {"portal-1", "42", "callcard", kNow - 60'000, kNow + 3'600'000});
    issue(older_signer, {"portal-2", "7", "settings", kNow - 60'000, kNow + 3'600'000});
    issue(signer, {"portal&t=x", "user=1%", "a b:c", kNow - 60'000, kNow + 3'600'000});
    // The seed corpus also holds one expired at kNow and one under a key the signer lacks.
  }
};

const Fixture& Signers() {
  static const Fixture* fixture = new Fixture();
  return *fixture;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Fixture& f = Signers();
  const std::string_view input = fuzz::AsText(data, size);
  try {
    const SessionClaims claims = f.signer.Verify(input, kNow);
    const auto issued = std::find_if(f.valid.begin(), f.valid.end(),
                                     [&](const Issued& i) { return i.token == input; });
    FUZZ_CHECK(issued != f.valid.end());
    FUZZ_CHECK(SameClaims(claims, issued->claims));
  } catch (const Error& e) {
    FUZZ_CHECK(e.code() == ErrorCode::kUnauthenticated);
  }

  const auto [tenant, user] = fuzz::SplitFirstLine(input);
  if (!tenant.empty()) {
    const SessionClaims claims{std::string(tenant), std::string(user), "callcard", kNow,
                               kNow + 1000};
    const std::string token = f.signer.Issue(claims);
    // Verify refuses tokens over 8 KiB before looking at them (a cookie that size is not ours).
    if (token.size() <= kMaxTokenSize) {
      FUZZ_CHECK(SameClaims(f.signer.Verify(token, kNow), claims));
    }
  }
  return 0;
}
