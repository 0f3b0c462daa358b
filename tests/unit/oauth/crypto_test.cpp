// Tests for oauth/: primitives against published vectors, the secret box envelope and its key
// rotation, the master key file, and session tokens.

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "connector/domain/error.h"
#include "oauth/crypto.h"
#include "oauth/master_key.h"
#include "oauth/secret_box.h"
#include "oauth/session_token.h"

namespace opdesk::crypto {
namespace {

using ::testing::HasSubstr;

std::string HexDecode(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string KeyOf(char fill) {
  return std::string(32, fill);
}

// Runs `fn`, expects an opdesk::Error and returns it for further checks.
template <typename Fn>
Error CaptureError(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected opdesk::Error, nothing was thrown";
  return Error(ErrorCode::kInternal, "<none>");
}

// --- primitives -----------------------------------------------------------------------------

TEST(Sha256Test, MatchesKnownVectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256("abc").size(), 32u);
  EXPECT_EQ(HexEncode(Sha256("abc")), Sha256Hex("abc"));
}

TEST(HmacSha256Test, MatchesRfc4231TestCase1) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256Test, MatchesRfc4231TestCase2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HkdfSha256Test, MatchesRfc5869TestCase1) {
  const std::string ikm(22, '\x0b');
  const std::string salt = HexDecode("000102030405060708090a0b0c");
  const std::string info = HexDecode("f0f1f2f3f4f5f6f7f8f9");
  EXPECT_EQ(HexEncode(HkdfSha256(ikm, salt, info, 42)),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(HkdfSha256Test, RejectsImpossibleLengths) {
  EXPECT_EQ(CaptureError([] { HkdfSha256("k", "", "", 0); }).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CaptureError([] { HkdfSha256("k", "", "", 255 * 32 + 1); }).code(),
            ErrorCode::kInvalidArgument);
}

TEST(HexEncodeTest, IsLowercase) {
  EXPECT_EQ(HexEncode(std::string("\x00\xab\xff", 3)), "00abff");
}

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode(std::string("\xfb\xff", 2)), "-_8");
  EXPECT_EQ(Base64Encode(std::string("\xfb\xff", 2)), "+/8=");
}

TEST(Base64Test, RoundTripsBinaryOfEveryLength) {
  std::string data;
  for (int i = 0; i < 300; ++i) {
    data.push_back(static_cast<char>((i * 37) & 0xff));
    ASSERT_EQ(Base64Decode(Base64Encode(data)), data) << "length " << data.size();
    ASSERT_EQ(Base64UrlDecode(Base64UrlEncode(data)), data) << "length " << data.size();
  }
  const std::string with_nuls("\0a\0\0b\0", 6);
  EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(with_nuls)), with_nuls);
  EXPECT_EQ(Base64Decode(Base64Encode(with_nuls)), with_nuls);
}

TEST(Base64Test, DecodeRejectsBadInput) {
  for (const char* bad :
       {"Zg", "Zg=", "Z===", "====", "Zm9v!A==", "Zm 9v", "Zh==", "Zg==Zg==", "-_8=", "Zm9vY"}) {
    EXPECT_EQ(CaptureError([&] { Base64Decode(bad); }).code(), ErrorCode::kInvalidArgument) << bad;
  }
  for (const char* bad : {"Zg==", "Zg=", "Z", "+/8", "Zm9v!", "Zh", "Zm 9v", "Zm9vY"}) {
    EXPECT_EQ(CaptureError([&] { Base64UrlDecode(bad); }).code(), ErrorCode::kInvalidArgument)
        << bad;
  }
}

TEST(ConstantTimeEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("Secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret2"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(RandomTest, TokenIsLowercaseHexOfTheRequestedSizeAndNeverRepeats) {
  const std::string a = RandomToken(16);
  const std::string b = RandomToken(16);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
  EXPECT_EQ(RandomBytes(24).size(), 24u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
  EXPECT_EQ(RandomToken(0), "");
}

TEST(KeyIdTest, IsStableShortHexAndDistinguishesKeys) {
  const std::string id = KeyId(KeyOf('a'));
  EXPECT_EQ(id.size(), 8u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(id, KeyId(KeyOf('a')));
  EXPECT_EQ(id, Sha256Hex("opdesk-key-id" + KeyOf('a')).substr(0, 8));
  EXPECT_NE(id, KeyId(KeyOf('b')));
}

// --- secret box -----------------------------------------------------------------------------

TEST(SecretBoxTest, RoundTripsEmptyBinaryAndLargePlaintexts) {
  const SecretBox box(KeyOf('k'));
  EXPECT_EQ(box.Open(box.Seal("")), "");
  const std::string binary("\0tok\0en\xff\x01\0", 10);
  EXPECT_EQ(box.Open(box.Seal(binary)), binary);
  std::string large(1 << 20, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) {
    large[i] = static_cast<char>((i * 131) & 0xff);
  }
  EXPECT_EQ(box.Open(box.Seal(large)), large);
  EXPECT_EQ(box.Open(box.Seal(binary, "tenant:1/token"), "tenant:1/token"), binary);
}

TEST(SecretBoxTest, EnvelopeNamesVersionAndPrimaryKeyAndHidesPlaintext) {
  const SecretBox box(KeyOf('k'));
  const std::string sealed = box.Seal("refresh-token-value");
  EXPECT_EQ(sealed.rfind("v1." + KeyId(KeyOf('k')) + ".", 0), 0u) << sealed;
  EXPECT_EQ(box.primary_key_id(), KeyId(KeyOf('k')));
  EXPECT_EQ(sealed.find("refresh"), std::string::npos);
  // nonce + ciphertext + tag
  EXPECT_EQ(Base64UrlDecode(sealed.substr(12)).size(), 12u + 19u + 16u);
}

TEST(SecretBoxTest, SealingTheSamePlaintextTwiceGivesDifferentEnvelopes) {
  const SecretBox box(KeyOf('k'));
  EXPECT_NE(box.Seal("same"), box.Seal("same"));
}

TEST(SecretBoxTest, FlippingAnyByteOfNonceCiphertextOrTagMakesOpenThrow) {
  const SecretBox box(KeyOf('k'));
  const std::string sealed = box.Seal("a secret worth protecting", "ad");
  const std::string prefix = sealed.substr(0, 12);
  const std::string blob = Base64UrlDecode(sealed.substr(12));
  ASSERT_EQ(blob.size(), 12u + 25u + 16u);
  for (std::size_t i = 0; i < blob.size(); ++i) {
    for (const unsigned char mask : {0x01, 0x80}) {
      std::string tampered = blob;
      tampered[i] = static_cast<char>(tampered[i] ^ mask);
      const Error e = CaptureError([&] { box.Open(prefix + Base64UrlEncode(tampered), "ad"); });
      EXPECT_EQ(e.code(), ErrorCode::kInternal) << "byte " << i;
      EXPECT_THAT(e.what(), HasSubstr("authentication")) << "byte " << i;
    }
  }
  EXPECT_EQ(box.Open(sealed, "ad"), "a secret worth protecting");
}

TEST(SecretBoxTest, TruncatedOrExtendedBlobMakesOpenThrow) {
  const SecretBox box(KeyOf('k'));
  const std::string sealed = box.Seal("value");
  const std::string prefix = sealed.substr(0, 12);
  const std::string blob = Base64UrlDecode(sealed.substr(12));
  EXPECT_EQ(CaptureError([&] { box.Open(prefix + Base64UrlEncode(blob.substr(1))); }).code(),
            ErrorCode::kInternal);
  EXPECT_EQ(CaptureError([&] { box.Open(prefix + Base64UrlEncode(blob + "x")); }).code(),
            ErrorCode::kInternal);
  EXPECT_EQ(CaptureError([&] { box.Open(prefix + Base64UrlEncode(blob.substr(0, 27))); }).code(),
            ErrorCode::kInternal);
}

TEST(SecretBoxTest, WrongAssociatedDataMakesOpenThrow) {
  const SecretBox box(KeyOf('k'));
  const std::string sealed = box.Seal("token", "tenant:1");
  EXPECT_THAT(CaptureError([&] { box.Open(sealed, "tenant:2"); }).what(),
              HasSubstr("authentication"));
  EXPECT_EQ(CaptureError([&] { box.Open(sealed); }).code(), ErrorCode::kInternal);
  const std::string no_ad = box.Seal("token");
  EXPECT_EQ(CaptureError([&] { box.Open(no_ad, "tenant:1"); }).code(), ErrorCode::kInternal);
}

TEST(SecretBoxTest, BoxWithAnotherKeyReportsKeyNotConfigured) {
  const SecretBox a(KeyOf('a'));
  const SecretBox b(KeyOf('b'));
  const Error e = CaptureError([&] { b.Open(a.Seal("secret")); });
  EXPECT_EQ(e.code(), ErrorCode::kInternal);
  EXPECT_THAT(e.what(), HasSubstr("sealed with key " + KeyId(KeyOf('a'))));
  EXPECT_THAT(e.what(), HasSubstr("not configured"));
}

TEST(SecretBoxTest, ForgedKeyIdWithValidBlobFailsAuthentication) {
  // Relabelling an envelope with another configured key's id must not decrypt it.
  const SecretBox ab(KeyOf('a'), {KeyOf('b')});
  const std::string sealed = ab.Seal("secret");
  const std::string relabelled = "v1." + KeyId(KeyOf('b')) + sealed.substr(11);
  EXPECT_THAT(CaptureError([&] { ab.Open(relabelled); }).what(), HasSubstr("authentication"));
}

TEST(SecretBoxTest, RotatedBoxOpensOldEnvelopesAndSealsUnderTheNewKey) {
  const SecretBox old_box(KeyOf('a'));
  const std::string old_sealed = old_box.Seal("kept across rotation", "row-7");

  const SecretBox rotated(KeyOf('b'), {KeyOf('a')});
  EXPECT_EQ(rotated.Open(old_sealed, "row-7"), "kept across rotation");
  const std::string new_sealed = rotated.Seal("fresh");
  EXPECT_EQ(new_sealed.substr(3, 8), KeyId(KeyOf('b')));
  EXPECT_EQ(rotated.Open(new_sealed), "fresh");
  // The old key alone cannot read what the new primary sealed.
  EXPECT_THAT(CaptureError([&] { old_box.Open(new_sealed); }).what(), HasSubstr("not configured"));
}

TEST(SecretBoxTest, MalformedEnvelopesThrowInternal) {
  const SecretBox box(KeyOf('k'));
  const std::string id = KeyId(KeyOf('k'));
  for (const std::string& bad :
       {std::string(""), std::string("v1."), std::string("v2.x.y"), std::string("v1"),
        "v2." + id + "." + Base64UrlEncode(std::string(40, 'x')), "v1." + id, "v1." + id + ".",
        "v1." + id + ".!!!!",
        "v1." + id + ".Zg==", "v1.ABCDEF12." + Base64UrlEncode(std::string(40, 'x')),
        "v1." + id + "." + Base64UrlEncode(std::string(27, 'x'))}) {
    const Error e = CaptureError([&] { box.Open(bad); });
    EXPECT_EQ(e.code(), ErrorCode::kInternal) << bad;
    EXPECT_THAT(e.what(), HasSubstr("malformed")) << bad;
  }
}

TEST(SecretBoxTest, RejectsKeysThatAreNot32Bytes) {
  EXPECT_EQ(CaptureError([] { SecretBox box(std::string(31, 'k')); }).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CaptureError([] { SecretBox box(KeyOf('k'), {std::string(33, 'k')}); }).code(),
            ErrorCode::kInvalidArgument);
}

TEST(SecretBoxTest, ConcurrentSealAndOpenOnOneBoxAgree) {
  const SecretBox box(KeyOf('k'), {KeyOf('o')});
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&box, &failures, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string plaintext = "secret-" + std::to_string(t) + "-" + std::to_string(i);
        if (box.Open(box.Seal(plaintext, "ad"), "ad") != plaintext) {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& th : threads) {
    th.join();
  }
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

// --- master key file ------------------------------------------------------------------------

class MasterKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "opdesk-crypto-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

TEST_F(MasterKeyTest, CreatesA32ByteMode0600FileAndLoadsTheSameKeyAgain) {
  const std::string path = Path("master.key");
  const std::string key = LoadOrCreateMasterKey(path);
  EXPECT_EQ(key.size(), 32u);

  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);

  EXPECT_EQ(LoadOrCreateMasterKey(path), key);
  // No temporary files are left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            1);
}

TEST_F(MasterKeyTest, DifferentFilesGetDifferentKeys) {
  EXPECT_NE(LoadOrCreateMasterKey(Path("one.key")), LoadOrCreateMasterKey(Path("two.key")));
}

TEST_F(MasterKeyTest, CreatesMissingParentDirectories) {
  const std::string path = Path("etc/opdesk/keys/master.key");
  const std::string key = LoadOrCreateMasterKey(path);
  EXPECT_EQ(key.size(), 32u);
  EXPECT_TRUE(std::filesystem::is_regular_file(path));
  EXPECT_EQ(LoadOrCreateMasterKey(path), key);
}

TEST_F(MasterKeyTest, ReadsAnExistingKeyFileVerbatim) {
  const std::string path = Path("given.key");
  const std::string bytes = std::string("\0\n", 2) + std::string(30, '\xee');
  std::ofstream(path, std::ios::binary) << bytes;
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_EQ(LoadOrCreateMasterKey(path), bytes);
}

TEST_F(MasterKeyTest, FileOfWrongSizeIsAnInvalidArgumentOnTheConfigField) {
  for (const std::size_t size : {0u, 31u, 33u, 64u}) {
    const std::string path = Path("bad-" + std::to_string(size) + ".key");
    std::ofstream(path, std::ios::binary) << std::string(size, 'x');
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
    const Error e = CaptureError([&] { LoadOrCreateMasterKey(path); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << size;
    EXPECT_EQ(e.field(), "crypto.master_key_file") << size;
    EXPECT_THAT(e.what(), HasSubstr("exactly 32 bytes")) << size;
    // The file is left alone for the operator to inspect.
    EXPECT_EQ(std::filesystem::file_size(path), size);
  }
}

TEST_F(MasterKeyTest, UnreadableFileIsAnInvalidArgumentWithTheOsReason) {
  // A directory opens but cannot be read, even for root, which ignores permission bits.
  const std::string path = Path("a-directory");
  std::filesystem::create_directory(path);
  const Error e = CaptureError([&] { LoadOrCreateMasterKey(path); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.field(), "crypto.master_key_file");
  EXPECT_THAT(e.what(), HasSubstr("directory"));
}

TEST_F(MasterKeyTest, ConcurrentStartersAllGetTheSameKey) {
  const std::string path = Path("shared/master.key");
  std::vector<std::string> keys(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    threads.emplace_back([&keys, &path, i] { keys[i] = LoadOrCreateMasterKey(path); });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  for (const std::string& key : keys) {
    EXPECT_EQ(key.size(), 32u);
    EXPECT_EQ(key, keys.front());
  }
}

// --- session tokens -------------------------------------------------------------------------

constexpr EpochMs kIssued = 1'700'000'000'000;
constexpr EpochMs kExpires = kIssued + 3'600'000;

SessionClaims SampleClaims() {
  SessionClaims c;
  c.tenant_id = "megaplan:example.megaplan.ru";
  c.user_id = "a&b=c";
  c.scope = "admin read%20 é";
  c.issued_at_ms = kIssued;
  c.expires_at_ms = kExpires;
  return c;
}

void ExpectUnauthenticated(const SessionTokenSigner& signer, const std::string& token,
                           EpochMs now = kIssued + 1) {
  EXPECT_EQ(CaptureError([&] { signer.Verify(token, now); }).code(), ErrorCode::kUnauthenticated)
      << "token: " << token;
}

TEST(SessionTokenTest, RoundTripsClaimsWithSeparatorCharacters) {
  const SessionTokenSigner signer(KeyOf('m'));
  const std::string token = signer.Issue(SampleClaims());
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 1);
  const SessionClaims got = signer.Verify(token, kIssued + 1000);
  EXPECT_EQ(got.tenant_id, "megaplan:example.megaplan.ru");
  EXPECT_EQ(got.user_id, "a&b=c");
  EXPECT_EQ(got.scope, "admin read%20 é");
  EXPECT_EQ(got.issued_at_ms, kIssued);
  EXPECT_EQ(got.expires_at_ms, kExpires);
}

TEST(SessionTokenTest, RoundTripsEmptyUserAndScope) {
  const SessionTokenSigner signer(KeyOf('m'));
  SessionClaims c{"t1", "", "", 1, 2};
  const SessionClaims got = signer.Verify(signer.Issue(c), 1);
  EXPECT_EQ(got.tenant_id, "t1");
  EXPECT_EQ(got.user_id, "");
  EXPECT_EQ(got.scope, "");
}

TEST(SessionTokenTest, PayloadIsUnambiguousAndSignedWithTheDerivedKey) {
  const std::string master = KeyOf('m');
  const SessionTokenSigner signer(master);
  const std::string token = signer.Issue(SampleClaims());
  const std::size_t dot = token.find('.');
  EXPECT_EQ(Base64UrlDecode(token.substr(0, dot)),
            "v=1&kid=" + KeyId(master) +
                "&t=megaplan%3Aexample.megaplan.ru&u=a%26b%3Dc&s=admin%20read%2520%20%C3%A9"
                "&iat=1700000000000&exp=1700003600000");
  const std::string signing_key = HkdfSha256(master, "", "opdesk-session-v1", 32);
  EXPECT_EQ(token.substr(dot + 1),
            Base64UrlEncode(HmacSha256(signing_key, "v1." + token.substr(0, dot))));
}

TEST(SessionTokenTest, ExpiresExactlyAtExpiresAt) {
  const SessionTokenSigner signer(KeyOf('m'));
  const std::string token = signer.Issue(SampleClaims());
  EXPECT_NO_THROW(signer.Verify(token, kExpires - 1));
  const Error e = CaptureError([&] { signer.Verify(token, kExpires); });
  EXPECT_EQ(e.code(), ErrorCode::kUnauthenticated);
  EXPECT_THAT(e.what(), HasSubstr("session expired"));
  ExpectUnauthenticated(signer, token, kExpires + 1);
}

TEST(SessionTokenTest, TamperedPayloadIsRejected) {
  const SessionTokenSigner signer(KeyOf('m'));
  const std::string token = signer.Issue(SampleClaims());
  const std::size_t dot = token.find('.');
  std::string payload = Base64UrlDecode(token.substr(0, dot));
  // Extend the lifetime and swap the tenant, keeping the original signature.
  payload.replace(payload.find("&exp=1700003600000"), 18, "&exp=1900003600000");
  ExpectUnauthenticated(signer, Base64UrlEncode(payload) + token.substr(dot));
  payload = Base64UrlDecode(token.substr(0, dot));
  payload.replace(payload.find("example"), 7, "examplf");
  ExpectUnauthenticated(signer, Base64UrlEncode(payload) + token.substr(dot));
  // Single characters of the encoded payload.
  for (std::size_t i = 0; i < dot; ++i) {
    std::string t = token;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    ExpectUnauthenticated(signer, t);
  }
}

TEST(SessionTokenTest, TamperedSignatureIsRejected) {
  const SessionTokenSigner signer(KeyOf('m'));
  const std::string token = signer.Issue(SampleClaims());
  const std::size_t dot = token.find('.');
  for (std::size_t i = dot + 1; i < token.size(); ++i) {
    std::string t = token;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    ExpectUnauthenticated(signer, t);
  }
  ExpectUnauthenticated(signer, token.substr(0, token.size() - 1));
  ExpectUnauthenticated(signer, token + "A");
  ExpectUnauthenticated(signer, token.substr(0, dot + 1));
  const Error e = CaptureError([&] {
    std::string t = token;
    t[dot + 1] = t[dot + 1] == 'A' ? 'B' : 'A';
    signer.Verify(t, kIssued + 1);
  });
  EXPECT_THAT(e.what(), HasSubstr("signature"));
}

TEST(SessionTokenTest, TokenFromAnotherMasterKeyIsRejected) {
  const SessionTokenSigner mine(KeyOf('m'));
  const SessionTokenSigner theirs(KeyOf('x'));
  const Error e = CaptureError([&] { mine.Verify(theirs.Issue(SampleClaims()), kIssued + 1); });
  EXPECT_EQ(e.code(), ErrorCode::kUnauthenticated);
  EXPECT_THAT(e.what(), HasSubstr("not configured"));

  // Same key id claimed, but signed with a different key: the signature check catches it.
  const std::string forged_payload =
      Base64UrlEncode("v=1&kid=" + KeyId(KeyOf('m')) + "&t=t1&u=u&s=&iat=1&exp=9999999999999");
  const std::string forged_sig = Base64UrlEncode(
      HmacSha256(HkdfSha256(KeyOf('x'), "", "opdesk-session-v1", 32), "v1." + forged_payload));
  const Error forged = CaptureError([&] { mine.Verify(forged_payload + "." + forged_sig, 2); });
  EXPECT_EQ(forged.code(), ErrorCode::kUnauthenticated);
  EXPECT_THAT(forged.what(), HasSubstr("signature"));
}

TEST(SessionTokenTest, MalformedTokensAreRejected) {
  const SessionTokenSigner signer(KeyOf('m'));
  const std::string token = signer.Issue(SampleClaims());
  const std::size_t dot = token.find('.');
  ExpectUnauthenticated(signer, "");
  ExpectUnauthenticated(signer, ".");
  ExpectUnauthenticated(signer, token.substr(0, dot) + token.substr(dot + 1));  // missing dot
  ExpectUnauthenticated(signer, token + "." + token.substr(dot + 1));
  ExpectUnauthenticated(signer, "not a token at all");
  ExpectUnauthenticated(signer, "!!!." + token.substr(dot + 1));
  ExpectUnauthenticated(signer, std::string(10000, 'A') + token.substr(dot));
}

TEST(SessionTokenTest, PayloadsThatDoNotParseAreRejectedEvenWhenCorrectlySigned) {
  const std::string master = KeyOf('m');
  const SessionTokenSigner signer(master);
  const std::string signing_key = HkdfSha256(master, "", "opdesk-session-v1", 32);
  const std::string kid = KeyId(master);
  auto sign = [&](const std::string& payload) {
    const std::string encoded = Base64UrlEncode(payload);
    return encoded + "." + Base64UrlEncode(HmacSha256(signing_key, "v1." + encoded));
  };
  const std::string good = "v=1&kid=" + kid + "&t=t1&u=u1&s=s1&iat=1&exp=100";
  ASSERT_EQ(signer.Verify(sign(good), 50).tenant_id, "t1");
  for (const std::string& bad : {
           "v=2&kid=" + kid + "&t=t1&u=u1&s=s1&iat=1&exp=100",
           "kid=" + kid + "&v=1&t=t1&u=u1&s=s1&iat=1&exp=100",
           "v=1&kid=" + kid + "&t=t1&u=u1&s=s1&iat=1&exp=100&x=1",
           "v=1&kid=" + kid + "&t=t1&u=u1&s=s1&iat=1",
           "v=1&kid=" + kid + "&t=t1&u=a&b&s=s1&iat=1&exp=100",
           "v=1&kid=" + kid + "&t=t%2&u=u1&s=s1&iat=1&exp=100",
           "v=1&kid=" + kid + "&t=t%ZZ&u=u1&s=s1&iat=1&exp=100",
           "v=1&kid=" + kid + "&t=t1&u=u1&s=s1&iat=1&exp=1e3",
           "v=1&kid=" + kid + "&t=t1&u=u1&s=s1&iat=1&exp=99999999999999999999",
           "v=1&kid=" + kid + "&t=t1&u=u1&s=s1&iat=&exp=100",
       }) {
    ExpectUnauthenticated(signer, sign(bad), 50);
  }
}

TEST(SessionTokenTest, IssueRejectsEmptyTenantAndNonPositiveLifetime) {
  const SessionTokenSigner signer(KeyOf('m'));
  SessionClaims c = SampleClaims();
  c.tenant_id.clear();
  const Error empty_tenant = CaptureError([&] { signer.Issue(c); });
  EXPECT_EQ(empty_tenant.code(), ErrorCode::kInvalidArgument);
  c = SampleClaims();
  c.expires_at_ms = c.issued_at_ms;
  EXPECT_EQ(CaptureError([&] { signer.Issue(c); }).code(), ErrorCode::kInvalidArgument);
  c.expires_at_ms = c.issued_at_ms - 1;
  EXPECT_EQ(CaptureError([&] { signer.Issue(c); }).code(), ErrorCode::kInvalidArgument);
}

TEST(SessionTokenTest, RotatedSignerVerifiesOldTokensAndIssuesUnderTheNewKey) {
  const SessionTokenSigner old_signer(KeyOf('a'));
  const std::string old_token = old_signer.Issue(SampleClaims());

  const SessionTokenSigner rotated(KeyOf('b'), {KeyOf('a')});
  EXPECT_EQ(rotated.Verify(old_token, kIssued + 1).user_id, "a&b=c");
  const std::string new_token = rotated.Issue(SampleClaims());
  EXPECT_THAT(Base64UrlDecode(new_token.substr(0, new_token.find('.'))),
              HasSubstr("&kid=" + KeyId(KeyOf('b')) + "&"));
  EXPECT_EQ(rotated.Verify(new_token, kIssued + 1).tenant_id, "megaplan:example.megaplan.ru");
  ExpectUnauthenticated(old_signer, new_token);
}

}  // namespace
}  // namespace opdesk::crypto

namespace opdesk::crypto {
namespace {

// Megaplan API v1's request signature (reference megaplan.md §3, its worked example): base64 of
// the hex HMAC-SHA1, not of the raw bytes.
TEST(LegacyMegaplanV1Test, SignatureMatchesTheReferencesWorkedExample) {
  const std::string text =
      "GET\n\napplication/x-www-form-urlencoded\nMon, 02 Jun 2025 10:00:00 +0300\n"
      "acme.megaplan.ru/BumsCrmApiV01/Contractor/list.api?Phone=79001234567";
  const std::string hex = LegacyHmacSha1Hex("SECRETKEY123", text);
  EXPECT_EQ(hex, "83316af0520ec498982a02459f7dd23f4095853e");
  EXPECT_EQ(Base64Encode(hex), "ODMzMTZhZjA1MjBlYzQ5ODk4MmEwMjQ1OWY3ZGQyM2Y0MDk1ODUzZQ==");
  EXPECT_NE(LegacyHmacSha1Hex("SECRETKEY124", text), hex);
}

TEST(LegacyMegaplanV1Test, Md5OfThePassword) {
  EXPECT_EQ(LegacyMd5Hex("password"), "5f4dcc3b5aa765d61d8327deb882cf99");
}

}  // namespace
}  // namespace opdesk::crypto
