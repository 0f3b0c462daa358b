// Mango's signed envelope: the reference vectors, round trips through form encoding, and refusals.
#include <gtest/gtest.h>

#include "connector/domain/error.h"
#include "webhooks/mango/envelope.h"

namespace opdesk::mango {
namespace {

TEST(MangoEnvelopeTest, SignMatchesTheReferenceVectors) {
  EXPECT_EQ(
      MangoSign("abc123key",
                R"({"command_id":"cb-1","from":{"extension":"101"},"to_number":"74951234567"})",
                "s3cr3tsalt"),
      "e02cf336816b63e1894eff5fc7f21ac2ae63344aa82a83cd64d4bdbbff5bbba2");
  EXPECT_EQ(
      MangoSign(
          "abc123key",
          R"({"entry_id":"MjY4Nzg2ODQwMTo4MQ==","call_id":"MToxMDAwOTU2NTo4MTozMTI2OTQyNDA6MQ==","timestamp":1488272633,"seq":1,"call_state":"Appeared","location":"ivr","from":{"number":"74955404444"},"to":{"number":"74952150438","line_number":"74952150438"}})",
          "s3cr3tsalt"),
      "b68e4d074cbe4cac140a30d635d6eea64a2037c14535bc820b517ae3679a770d");
}

TEST(MangoEnvelopeTest, RoundTripKeepsTheExactJsonSoTheSignStillMatches) {
  const std::string json = R"({"note":"a+b & c=d","name":"Привет","q":"50%"})";
  Envelope e = ParseEnvelope(BuildEnvelope("key-1", json, "salt-1"));
  EXPECT_EQ(e.vpbx_api_key, "key-1");
  EXPECT_EQ(e.json, json);
  EXPECT_TRUE(SignatureMatches(e, "salt-1"));
}

TEST(MangoEnvelopeTest, WrongSaltKeyOrTamperedJsonFail) {
  Envelope e = ParseEnvelope(BuildEnvelope("key-1", R"({"seq":1})", "salt-1"));
  EXPECT_FALSE(SignatureMatches(e, "salt-2"));
  Envelope other_key = e;
  other_key.vpbx_api_key = "key-2";
  EXPECT_FALSE(SignatureMatches(other_key, "salt-1"));
  Envelope tampered = e;
  tampered.json = R"({"seq":2})";
  EXPECT_FALSE(SignatureMatches(tampered, "salt-1"));
  Envelope truncated = e;
  truncated.sign.pop_back();
  EXPECT_FALSE(SignatureMatches(truncated, "salt-1"));
}

TEST(MangoEnvelopeTest, UpperCaseHexIsAccepted) {
  Envelope e = ParseEnvelope(BuildEnvelope("key-1", "{}", "salt-1"));
  for (char& c : e.sign) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_TRUE(SignatureMatches(e, "salt-1"));
}

TEST(MangoEnvelopeTest, MissingFieldsAreNamed) {
  for (const auto& [body, field] :
       std::vector<std::pair<std::string, std::string>>{{"sign=x&json={}", "vpbx_api_key"},
                                                        {"vpbx_api_key=k&json={}", "sign"},
                                                        {"vpbx_api_key=k&sign=x", "json"},
                                                        {"", "vpbx_api_key"}}) {
    try {
      ParseEnvelope(body);
      FAIL() << body;
    } catch (const Error& e) {
      EXPECT_EQ(e.field(), field) << body;
    }
  }
}

}  // namespace
}  // namespace opdesk::mango
