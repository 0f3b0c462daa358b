// Mango's signed envelope: the reference vectors (mango.md §1.3), round trips through form
// encoding, and the envelopes that must be refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "connector/domain/error.h"
#include "webhooks/mango/envelope.h"

namespace opdesk::mango {
namespace {

constexpr char kKey[] = "abc123key";
constexpr char kSalt[] = "s3cr3tsalt";
constexpr char kCommandJson[] =
    R"({"command_id":"cb-1","from":{"extension":"101"},"to_number":"74951234567"})";
constexpr char kCommandSign[] = "e02cf336816b63e1894eff5fc7f21ac2ae63344aa82a83cd64d4bdbbff5bbba2";
constexpr char kEventJson[] =
    R"({"entry_id":"MjY4Nzg2ODQwMTo4MQ==","call_id":"MToxMDAwOTU2NTo4MTozMTI2OTQyNDA6MQ==",)"
    R"("timestamp":1488272633,"seq":1,"call_state":"Appeared","location":"ivr",)"
    R"("from":{"number":"74955404444"},"to":{"number":"74952150438","line_number":"74952150438"}})";
constexpr char kEventSign[] = "b68e4d074cbe4cac140a30d635d6eea64a2037c14535bc820b517ae3679a770d";

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return s;
}

TEST(MangoEnvelopeTest, SignOfTheReferenceCommandVector) {
  EXPECT_EQ(MangoSign(kKey, kCommandJson, kSalt), kCommandSign);
}

TEST(MangoEnvelopeTest, SignOfTheReferenceEventVector) {
  EXPECT_EQ(MangoSign(kKey, kEventJson, kSalt), kEventSign);
}

TEST(MangoEnvelopeTest, BuiltCommandBodyIsTheReferenceFormBody) {
  EXPECT_EQ(BuildEnvelope(kKey, kCommandJson, kSalt),
            std::string("vpbx_api_key=abc123key&sign=") + kCommandSign +
                "&json=%7B%22command_id%22%3A%22cb-1%22%2C%22from%22%3A%7B%22extension%22%3A%22101"
                "%22%7D%2C%22to_number%22%3A%2274951234567%22%7D");
}

TEST(MangoEnvelopeTest, ReferenceEventVerifiesAfterTheFormRoundTrip) {
  const Envelope e = ParseEnvelope(BuildEnvelope(kKey, kEventJson, kSalt));
  EXPECT_EQ(e.vpbx_api_key, kKey);
  EXPECT_EQ(e.sign, kEventSign);
  EXPECT_EQ(e.json, kEventJson);
  EXPECT_TRUE(SignatureMatches(e, kSalt));
}

TEST(MangoEnvelopeTest, PlusAmpersandAndCyrillicSurviveTheRoundTripAndStillVerify) {
  const std::string json = R"({"note":"a+b & c=d","name":"Привет мир","q":"50%","e":"x%2By"})";
  const std::string body = BuildEnvelope("key+1&", json, "salt-1");
  // Only the two separators are raw '&', and no raw '+' could be decoded into a space.
  EXPECT_EQ(std::count(body.begin(), body.end(), '&'), 2) << body;
  EXPECT_EQ(body.find('+'), std::string::npos) << body;
  const Envelope e = ParseEnvelope(body);
  EXPECT_EQ(e.vpbx_api_key, "key+1&");
  EXPECT_EQ(e.json, json);
  EXPECT_EQ(e.sign, MangoSign("key+1&", json, "salt-1"));
  EXPECT_TRUE(SignatureMatches(e, "salt-1"));
}

// A peer that leaves '+' unescaped has signed "a+b", but form decoding yields "a b" (reference
// §4.4); the sign is over the decoded string, so such an envelope does not verify.
TEST(MangoEnvelopeTest, UnescapedPlusFromAPeerDecodesToSpaceAndDoesNotVerify) {
  const std::string signed_json = R"({"n":"a+b"})";
  const Envelope e = ParseEnvelope("vpbx_api_key=k&sign=" + MangoSign("k", signed_json, "s") +
                                   "&json=" + R"({"n":"a+b"})");
  EXPECT_EQ(e.json, R"({"n":"a b"})");
  EXPECT_FALSE(SignatureMatches(e, "s"));
}

TEST(MangoEnvelopeTest, WrongSaltIsRejected) {
  const Envelope e = ParseEnvelope(BuildEnvelope(kKey, kEventJson, kSalt));
  ASSERT_TRUE(SignatureMatches(e, kSalt));
  EXPECT_FALSE(SignatureMatches(e, "s3cr3tsalT"));
  EXPECT_FALSE(SignatureMatches(e, ""));
}

TEST(MangoEnvelopeTest, WrongKeyIsRejected) {
  Envelope e = ParseEnvelope(BuildEnvelope(kKey, kEventJson, kSalt));
  e.vpbx_api_key = "abc123kez";
  EXPECT_FALSE(SignatureMatches(e, kSalt));
}

TEST(MangoEnvelopeTest, TamperedJsonIsRejected) {
  Envelope e = ParseEnvelope(BuildEnvelope(kKey, kEventJson, kSalt));
  const std::size_t at = e.json.find("\"seq\":1");
  ASSERT_NE(at, std::string::npos);
  e.json[at + 6] = '2';
  EXPECT_FALSE(SignatureMatches(e, kSalt));
  // Re-serialising is tampering too: one added space breaks the sign.
  Envelope spaced = ParseEnvelope(BuildEnvelope(kKey, kEventJson, kSalt));
  spaced.json.insert(1, " ");
  EXPECT_FALSE(SignatureMatches(spaced, kSalt));
}

TEST(MangoEnvelopeTest, UpperCaseHexSignIsAccepted) {
  Envelope e = ParseEnvelope(BuildEnvelope(kKey, kCommandJson, kSalt));
  e.sign = Upper(e.sign);
  ASSERT_EQ(e.sign, Upper(kCommandSign));
  EXPECT_TRUE(SignatureMatches(e, kSalt));
}

TEST(MangoEnvelopeTest, TruncatedOrExtendedSignIsRejected) {
  Envelope truncated = ParseEnvelope(BuildEnvelope(kKey, kCommandJson, kSalt));
  truncated.sign.pop_back();
  EXPECT_FALSE(SignatureMatches(truncated, kSalt));
  Envelope half = ParseEnvelope(BuildEnvelope(kKey, kCommandJson, kSalt));
  half.sign.resize(32);
  EXPECT_FALSE(SignatureMatches(half, kSalt));
  Envelope extended = ParseEnvelope(BuildEnvelope(kKey, kCommandJson, kSalt));
  extended.sign += "0";
  EXPECT_FALSE(SignatureMatches(extended, kSalt));
  Envelope empty = ParseEnvelope(BuildEnvelope(kKey, kCommandJson, kSalt));
  empty.sign.clear();
  EXPECT_FALSE(SignatureMatches(empty, kSalt));
}

TEST(MangoEnvelopeTest, MissingOrEmptyFieldsAreNamed) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"sign=x&json={}", "vpbx_api_key"},
      {"vpbx_api_key=k&json={}", "sign"},
      {"vpbx_api_key=k&sign=x", "json"},
      {"vpbx_api_key=k&sign=x&json=", "json"},
      {"vpbx_api_key=&sign=x&json={}", "vpbx_api_key"},
      {"", "vpbx_api_key"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body);
    try {
      ParseEnvelope(body);
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      EXPECT_EQ(e.field(), field);
    }
  }
}

TEST(MangoEnvelopeTest, FieldOrderAndUnknownFieldsDoNotMatter) {
  const Envelope e =
      ParseEnvelope("extra=1&json=%7B%7D&sign=" + MangoSign("k", "{}", "s") + "&vpbx_api_key=k");
  EXPECT_EQ(e.json, "{}");
  EXPECT_TRUE(SignatureMatches(e, "s"));
}

}  // namespace
}  // namespace opdesk::mango
