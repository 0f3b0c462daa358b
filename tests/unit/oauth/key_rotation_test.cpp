// Master key files on disk: a file open to group or others is refused, and retired keys listed
// for a rotation still open secrets and verify sessions made under them, while only the current
// key seals and signs.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "connector/domain/error.h"
#include "oauth/master_key.h"
#include "oauth/secret_box.h"
#include "oauth/session_token.h"

namespace opdesk::crypto {
namespace {

using ::testing::HasSubstr;

constexpr EpochMs kNow = 1'700'000'000'000;

class KeyRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "opdesk-rotation-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  // A key file as an operator makes it (with the mode given).
  std::string KeyFile(const std::string& name, char fill, mode_t mode = 0600) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << std::string(32, fill);
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
  }
  static SessionClaims Claims() {
    SessionClaims c;
    c.tenant_id = "b24:portal";
    c.user_id = "7";
    c.scope = "ui";
    c.issued_at_ms = kNow;
    c.expires_at_ms = kNow + 900'000;
    return c;
  }
  static Error Capture(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no opdesk::Error thrown";
    return Internal("none");
  }

  std::filesystem::path dir_;
};

TEST_F(KeyRotationTest, RetiredKeyOpensAndVerifiesOnlyWhileItIsListed) {
  const std::string old_file = KeyFile("old.key", 'o');
  const std::string new_file = KeyFile("new.key", 'n');

  // Before the rotation: the old key is the current one.
  const MasterKeys before = LoadMasterKeys(old_file, {});
  const std::string sealed = SecretBox(before.current, before.older).Seal("refresh-token", "row:1");
  const std::string token = SessionTokenSigner(before.current, before.older).Issue(Claims());

  // The rotation: a new current key, the old one listed as retired.
  const MasterKeys during = LoadMasterKeys(new_file, {old_file});
  ASSERT_EQ(during.older.size(), 1u);
  const SecretBox box(during.current, during.older);
  const SessionTokenSigner signer(during.current, during.older);
  EXPECT_EQ(box.Open(sealed, "row:1"), "refresh-token");
  EXPECT_EQ(signer.Verify(token, kNow + 1).user_id, "7");
  // New secrets and sessions use the new key only.
  const std::string resealed = box.Seal("refresh-token", "row:1");
  EXPECT_EQ(resealed.substr(3, 8), KeyId(std::string(32, 'n')));
  EXPECT_EQ(box.primary_key_id(), KeyId(std::string(32, 'n')));
  const std::string new_token = signer.Issue(Claims());
  EXPECT_EQ(SessionTokenSigner(during.current).Verify(new_token, kNow + 1).user_id, "7");
  EXPECT_EQ(Capture([&] { SecretBox(before.current).Open(resealed, "row:1"); }).code(),
            ErrorCode::kInternal)
      << "a new seal must not be readable with the retired key";

  // After the rotation the old key is removed from the config: its secrets and sessions are dead.
  const MasterKeys after = LoadMasterKeys(new_file, {});
  EXPECT_TRUE(after.older.empty());
  EXPECT_EQ(Capture([&] { SecretBox(after.current, after.older).Open(sealed, "row:1"); }).code(),
            ErrorCode::kInternal);
  EXPECT_EQ(Capture([&] {
              SessionTokenSigner(after.current, after.older).Verify(token, kNow + 1);
            }).code(),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(SecretBox(after.current).Open(resealed, "row:1"), "refresh-token");
}

TEST_F(KeyRotationTest, AKeyFileOpenToGroupOrOthersIsRefusedWithTheFix) {
  for (const mode_t mode : {0644, 0640, 0604, 0620, 0602}) {
    const std::string path = KeyFile("open.key", 'k', mode);
    const Error e = Capture([&] { LoadOrCreateMasterKey(path); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << std::oct << mode;
    EXPECT_EQ(e.field(), "crypto.master_key_file");
    EXPECT_THAT(e.what(), HasSubstr("chmod 600 " + path));
  }
  const std::string good = KeyFile("good.key", 'g');
  const std::string open_old = KeyFile("open-old.key", 'o', 0644);
  const Error e = Capture([&] { LoadMasterKeys(good, {open_old}); });
  EXPECT_EQ(e.field(), "crypto.old_master_key_files");
  EXPECT_THAT(e.what(), HasSubstr("chmod 600 " + open_old));
  // 0400 (read-only for the owner) is fine.
  EXPECT_EQ(LoadOrCreateMasterKey(KeyFile("ro.key", 'r', 0400)), std::string(32, 'r'));
}

TEST_F(KeyRotationTest, ARetiredKeyFileMustExistAndHold32Bytes) {
  const std::string good = KeyFile("good.key", 'g');
  const std::string missing = (dir_ / "missing.key").string();
  Error e = Capture([&] { LoadMasterKeys(good, {missing}); });
  EXPECT_EQ(e.field(), "crypto.old_master_key_files");
  EXPECT_THAT(e.what(), HasSubstr(missing));
  EXPECT_FALSE(std::filesystem::exists(missing)) << "a retired key is never created";
  const std::string short_file = (dir_ / "short.key").string();
  std::ofstream(short_file, std::ios::binary) << "too short";
  ASSERT_EQ(::chmod(short_file.c_str(), 0600), 0);
  e = Capture([&] { LoadMasterKeys(good, {short_file}); });
  EXPECT_EQ(e.field(), "crypto.old_master_key_files");
  EXPECT_THAT(e.what(), HasSubstr("exactly 32 bytes"));
}

}  // namespace
}  // namespace opdesk::crypto
