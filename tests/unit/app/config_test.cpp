// Unit tests for connector/app/config: defaults, file and environment sources, validation and the
// key table. Everything goes through ParseConfig with an explicit env map, so the process
// environment is never read or changed.
#include "connector/app/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "connector/domain/error.h"

namespace opdesk::app {
namespace {

using Env = std::map<std::string, std::string>;

Config Parse(std::string_view file_text, const Env& env = {}) {
  return ParseConfig(file_text, "test.json", env);
}

// Runs ParseConfig expecting a rejection and returns the error for closer checks.
Error ParseError(std::string_view file_text, const Env& env = {}) {
  try {
    ParseConfig(file_text, "test.json", env);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "ParseConfig accepted file '" << file_text << "'";
  return Internal("not rejected");
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

TEST(ConfigTest, NoFileAndNoEnvironmentGivesEveryDefault) {
  const Config config = Parse("");
  EXPECT_EQ(config.listen.host, "127.0.0.1");
  EXPECT_EQ(config.listen.port, 8080);
  EXPECT_EQ(config.public_url, "http://127.0.0.1:8080");
  EXPECT_EQ(config.data_dir, "./var");
  EXPECT_EQ(config.database.url, "sqlite://./var/opdesk.db");
  EXPECT_EQ(config.database.pool_size, 8);
  EXPECT_EQ(config.crypto.master_key_file, "./var/master.key");
  EXPECT_EQ(config.bitrix24.client_id, "");
  EXPECT_EQ(config.bitrix24.client_secret, "");
  EXPECT_EQ(config.bitrix24.oauth_url, "https://oauth.bitrix.info/");
  EXPECT_EQ(config.mango.api_url, "https://app.mango-office.ru/vpbx/");
  EXPECT_EQ(config.mango.directory_refresh_seconds, 300);
  EXPECT_FALSE(config.allow_insecure_endpoints);
  EXPECT_EQ(config.log.level, "info");
  EXPECT_EQ(config.log.format, "text");
  EXPECT_EQ(config.http.threads, 4);
  EXPECT_EQ(config.http.max_body_bytes, 1048576);
  EXPECT_EQ(config.jobs.workers, 16);
  EXPECT_EQ(config.jobs.max_attempts, 10);
  EXPECT_EQ(config.jobs.lease_seconds, 3);
  EXPECT_EQ(config.jobs.poll_interval_ms, 200);
  EXPECT_EQ(config.jobs.backoff_base_ms, 1000);
  EXPECT_EQ(config.jobs.backoff_max_ms, 600000);
  EXPECT_EQ(config.jobs.retention_hours, 72);
  EXPECT_EQ(config.shutdown_timeout_seconds, 10);
}

TEST(ConfigTest, BlankFileAndEmptyObjectAreTheSameAsNoFile) {
  EXPECT_EQ(Parse("  \n").database.url, "sqlite://./var/opdesk.db");
  EXPECT_EQ(Parse("{}").listen.port, 8080);
}

TEST(ConfigTest, DataDirMovesDerivedDefaults) {
  const Config config = Parse(R"({"data_dir": "/srv/opdesk/"})");
  EXPECT_EQ(config.data_dir, "/srv/opdesk/");
  EXPECT_EQ(config.database.url, "sqlite:///srv/opdesk/opdesk.db");
  EXPECT_EQ(config.crypto.master_key_file, "/srv/opdesk/master.key");
}

TEST(ConfigTest, DataDirFromEnvironmentMovesDerivedDefaults) {
  const Config config = Parse("", {{"OPDESK_DATA_DIR", "/data"}});
  EXPECT_EQ(config.database.url, "sqlite:///data/opdesk.db");
  EXPECT_EQ(config.crypto.master_key_file, "/data/master.key");
}

TEST(ConfigTest, ExplicitDerivedKeysAreNotMovedByDataDir) {
  const Config config = Parse(R"({"data_dir": "/srv/opdesk",
                                  "database": {"url": "sqlite:///db/x.db"},
                                  "crypto": {"master_key_file": "/keys/m.key"}})");
  EXPECT_EQ(config.database.url, "sqlite:///db/x.db");
  EXPECT_EQ(config.crypto.master_key_file, "/keys/m.key");
}

TEST(ConfigTest, NestedFileValuesAreParsed) {
  const Config config = Parse(R"({
    "listen": "0.0.0.0:9000",
    "public_url": "https://opdesk.example.com/",
    "database": {"url": "mysql://op:pw@db.local:3306/opdesk", "pool_size": 16},
    "bitrix24": {"client_id": "local.abc", "client_secret": "s3cret"},
    "mango": {"api_url": "https://mango.test/api"},
    "allow_insecure_endpoints": true,
    "log": {"level": "debug", "format": "json"},
    "http": {"threads": 8, "max_body_bytes": 2048},
    "jobs": {"workers": 0, "max_attempts": 5, "lease_seconds": 30, "poll_interval_ms": 50,
             "backoff_base_ms": 100, "backoff_max_ms": 100, "retention_hours": 1},
    "shutdown_timeout_seconds": 300
  })");
  EXPECT_EQ(config.listen.host, "0.0.0.0");
  EXPECT_EQ(config.listen.port, 9000);
  EXPECT_EQ(config.public_url, "https://opdesk.example.com");
  EXPECT_EQ(config.database.url, "mysql://op:pw@db.local:3306/opdesk");
  EXPECT_EQ(config.database.pool_size, 16);
  EXPECT_EQ(config.bitrix24.client_id, "local.abc");
  EXPECT_EQ(config.bitrix24.client_secret, "s3cret");
  EXPECT_EQ(config.mango.api_url, "https://mango.test/api/");
  EXPECT_TRUE(config.allow_insecure_endpoints);
  EXPECT_EQ(config.log.level, "debug");
  EXPECT_EQ(config.log.format, "json");
  EXPECT_EQ(config.http.threads, 8);
  EXPECT_EQ(config.http.max_body_bytes, 2048);
  EXPECT_EQ(config.jobs.workers, 0);
  EXPECT_EQ(config.jobs.max_attempts, 5);
  EXPECT_EQ(config.jobs.lease_seconds, 30);
  EXPECT_EQ(config.jobs.poll_interval_ms, 50);
  EXPECT_EQ(config.jobs.backoff_base_ms, 100);
  EXPECT_EQ(config.jobs.backoff_max_ms, 100);
  EXPECT_EQ(config.jobs.retention_hours, 1);
  EXPECT_EQ(config.shutdown_timeout_seconds, 300);
}

TEST(ConfigTest, EnvironmentOverridesFile) {
  const Config config = Parse(R"({"log": {"level": "debug"}, "http": {"threads": 2}})",
                              {{"OPDESK_LOG_LEVEL", "warn"}, {"OPDESK_LISTEN", "[::1]:8443"}});
  EXPECT_EQ(config.log.level, "warn");
  EXPECT_EQ(config.http.threads, 2);  // not overridden, so the file's value stays
  EXPECT_EQ(config.listen.host, "[::1]");
  EXPECT_EQ(config.listen.port, 8443);
}

TEST(ConfigTest, EnvironmentNameWithUnderscoresMapsToKey) {
  const Config config = Parse("", {{"OPDESK_BITRIX24_CLIENT_ID", "local.123"},
                                   {"OPDESK_BITRIX24_CLIENT_SECRET", "xyz"},
                                   {"OPDESK_JOBS_BACKOFF_BASE_MS", "5"},
                                   {"OPDESK_SHUTDOWN_TIMEOUT_SECONDS", "1"}});
  EXPECT_EQ(config.bitrix24.client_id, "local.123");
  EXPECT_EQ(config.bitrix24.client_secret, "xyz");
  EXPECT_EQ(config.jobs.backoff_base_ms, 5);
  EXPECT_EQ(config.shutdown_timeout_seconds, 1);
}

TEST(ConfigTest, UnknownFileKeyIsRejectedWithItsPath) {
  const Error error = ParseError(R"({"database": {"uri": "sqlite://x"}})");
  EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error.field(), "database.uri");
  EXPECT_TRUE(Contains(error.what(), "unknown config key 'database.uri'")) << error.what();
  EXPECT_TRUE(Contains(error.what(), "test.json")) << error.what();
}

TEST(ConfigTest, UnknownTopLevelSectionIsRejected) {
  EXPECT_EQ(ParseError(R"({"redis": {"url": "x"}})").field(), "redis");
}

TEST(ConfigTest, FlatDottedFileKeyIsRejected) {
  EXPECT_EQ(ParseError(R"({"database.url": "sqlite://x"})").field(), "database.url");
}

TEST(ConfigTest, NonObjectSectionIsRejected) {
  const Error error = ParseError(R"({"database": "sqlite://x"})");
  EXPECT_EQ(error.field(), "database");
  EXPECT_TRUE(Contains(error.what(), "expected an object")) << error.what();
}

TEST(ConfigTest, ObjectWhereLeafExpectedIsRejected) {
  EXPECT_EQ(ParseError(R"({"log": {"level": {"x": 1}}})").field(), "log.level");
}

TEST(ConfigTest, TopLevelMustBeAnObject) {
  const Error error = ParseError("[1, 2]");
  EXPECT_TRUE(Contains(error.what(), "test.json")) << error.what();
}

TEST(ConfigTest, UnknownEnvironmentVariableIsRejected) {
  const Error error = ParseError("", {{"OPDESK_FOO", "1"}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error.field(), "OPDESK_FOO");
  EXPECT_STREQ(error.what(), "unknown environment variable OPDESK_FOO: no such config key");
}

TEST(ConfigTest, SectionNameAloneIsNotAnEnvironmentVariable) {
  EXPECT_EQ(ParseError("", {{"OPDESK_DATABASE", "x"}}).field(), "OPDESK_DATABASE");
}

TEST(ConfigTest, ConfigPathAndTestVariablesAreIgnored) {
  const Config config = Parse("", {{"OPDESK_CONFIG", "/etc/opdesk.json"},
                                   {"OPDESK_TEST_X", "anything"},
                                   {"OPDESK_TEST_MYSQL_URL", "mysql://u:p@h/db"},
                                   {"PATH", "/usr/bin"},
                                   {"opdesk_foo", "lower case is not ours"}});
  EXPECT_EQ(config.listen.port, 8080);
}

TEST(ConfigTest, BadListenIsRejected) {
  for (const char* listen : {"127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "abc:12x", ":8080",
                             "::1:8080", "[::1]", "[]:80", "a b:80", "host:"}) {
    const Error error = ParseError("", {{"OPDESK_LISTEN", listen}});
    EXPECT_EQ(error.field(), "listen") << listen;
    EXPECT_TRUE(Contains(error.what(), "OPDESK_LISTEN")) << error.what();
  }
}

TEST(ConfigTest, ListenAcceptsNamesAndIpv6) {
  EXPECT_EQ(Parse(R"({"listen": "localhost:1"})").listen.host, "localhost");
  EXPECT_EQ(Parse(R"({"listen": "[::]:65535"})").listen.port, 65535);
}

TEST(ConfigTest, BadLogLevelIsRejected) {
  const Error error = ParseError(R"({"log": {"level": "verbose"}})");
  EXPECT_EQ(error.field(), "log.level");
  EXPECT_TRUE(Contains(error.what(), "verbose")) << error.what();
  EXPECT_EQ(ParseError("", {{"OPDESK_LOG_FORMAT", "xml"}}).field(), "log.format");
}

TEST(ConfigTest, LogLevelIsCaseInsensitive) {
  EXPECT_EQ(Parse("", {{"OPDESK_LOG_LEVEL", "DEBUG"}}).log.level, "debug");
}

TEST(ConfigTest, BooleanEnvironmentSpellings) {
  for (const char* yes : {"true", "TRUE", "1", "yes", "On"}) {
    EXPECT_TRUE(Parse("", {{"OPDESK_ALLOW_INSECURE_ENDPOINTS", yes}}).allow_insecure_endpoints)
        << yes;
  }
  for (const char* no : {"false", "0", "No", "off"}) {
    EXPECT_FALSE(
        Parse(R"({"allow_insecure_endpoints": true})", {{"OPDESK_ALLOW_INSECURE_ENDPOINTS", no}})
            .allow_insecure_endpoints)
        << no;
  }
}

TEST(ConfigTest, BadBooleanIsRejected) {
  EXPECT_EQ(ParseError("", {{"OPDESK_ALLOW_INSECURE_ENDPOINTS", "maybe"}}).field(),
            "allow_insecure_endpoints");
  EXPECT_EQ(ParseError("", {{"OPDESK_ALLOW_INSECURE_ENDPOINTS", ""}}).field(),
            "allow_insecure_endpoints");
  EXPECT_EQ(ParseError(R"({"allow_insecure_endpoints": "true"})").field(),
            "allow_insecure_endpoints");
}

TEST(ConfigTest, IntegerOutOfRangeIsRejected) {
  const Error error = ParseError(R"({"http": {"threads": 65}})");
  EXPECT_EQ(error.field(), "http.threads");
  EXPECT_TRUE(Contains(error.what(), "between 1 and 64")) << error.what();
  EXPECT_EQ(ParseError("", {{"OPDESK_DATABASE_POOL_SIZE", "0"}}).field(), "database.pool_size");
  EXPECT_EQ(ParseError("", {{"OPDESK_JOBS_WORKERS", "-1"}}).field(), "jobs.workers");
  EXPECT_EQ(ParseError("", {{"OPDESK_HTTP_MAX_BODY_BYTES", "99999999999999999999999"}}).field(),
            "http.max_body_bytes");
  EXPECT_EQ(ParseError(R"({"jobs": {"retention_hours": 18446744073709551615}})").field(),
            "jobs.retention_hours");
}

TEST(ConfigTest, IntegerBoundsAreInclusive) {
  const Config config = Parse("", {{"OPDESK_JOBS_WORKERS", "0"}, {"OPDESK_HTTP_THREADS", "64"}});
  EXPECT_EQ(config.jobs.workers, 0);
  EXPECT_EQ(config.http.threads, 64);
}

TEST(ConfigTest, FloatWhereIntegerExpectedIsRejected) {
  const Error error = ParseError(R"({"http": {"threads": 1.5}})");
  EXPECT_EQ(error.field(), "http.threads");
  EXPECT_TRUE(Contains(error.what(), "expected an integer")) << error.what();
}

TEST(ConfigTest, IntegralDoubleIsAccepted) {
  EXPECT_EQ(Parse(R"({"http": {"max_body_bytes": 2e6}})").http.max_body_bytes, 2000000);
}

TEST(ConfigTest, StringWhereIntegerExpectedInFileIsRejected) {
  const Error error = ParseError(R"({"http": {"threads": "4"}})");
  EXPECT_EQ(error.field(), "http.threads");
  EXPECT_TRUE(Contains(error.what(), "expected an integer")) << error.what();
}

TEST(ConfigTest, MalformedIntegerInEnvironmentIsRejected) {
  for (const char* text : {"12abc", "", " 4", "4.0", "0x10"}) {
    EXPECT_EQ(ParseError("", {{"OPDESK_HTTP_THREADS", text}}).field(), "http.threads") << text;
  }
}

TEST(ConfigTest, NonStringWhereStringExpectedIsRejected) {
  EXPECT_EQ(ParseError(R"({"data_dir": 5})").field(), "data_dir");
  EXPECT_EQ(ParseError(R"({"bitrix24": {"client_id": null}})").field(), "bitrix24.client_id");
}

TEST(ConfigTest, OauthUrlIsOneHttpUrl) {
  EXPECT_EQ(
      Parse(R"({"bitrix24": {"oauth_url": "https://oauth.bitrix24.tech"}})").bitrix24.oauth_url,
      "https://oauth.bitrix24.tech/");
  EXPECT_EQ(Parse("", {{"OPDESK_BITRIX24_OAUTH_URL", "http://127.0.0.1:9000/"}}).bitrix24.oauth_url,
            "http://127.0.0.1:9000/");
  EXPECT_EQ(ParseError(R"({"bitrix24": {"oauth_url": "oauth.bitrix.info"}})").field(),
            "bitrix24.oauth_url");
  EXPECT_EQ(ParseError(R"({"bitrix24": {"oauth_url": ["https://a.test/"]}})").field(),
            "bitrix24.oauth_url");
  // The retired allow-list is an unknown key now, not silently ignored.
  EXPECT_EQ(ParseError(R"({"bitrix24": {"oauth_hosts": ["a.test"]}})").field(),
            "bitrix24.oauth_hosts");
}

TEST(ConfigTest, PublicUrlMustBeHttpAndLosesTrailingSlash) {
  EXPECT_EQ(Parse("", {{"OPDESK_PUBLIC_URL", "https://x.test/base//"}}).public_url,
            "https://x.test/base");
  EXPECT_EQ(ParseError("", {{"OPDESK_PUBLIC_URL", "ftp://x.test"}}).field(), "public_url");
  EXPECT_EQ(ParseError("", {{"OPDESK_PUBLIC_URL", "https://"}}).field(), "public_url");
  EXPECT_EQ(ParseError("", {{"OPDESK_MANGO_API_URL", "mango.test"}}).field(), "mango.api_url");
  EXPECT_EQ(ParseError("", {{"OPDESK_MANGO_DIRECTORY_REFRESH_SECONDS", "5"}}).field(),
            "mango.directory_refresh_seconds");
}

// Its origin ends up in the call card's Content-Security-Policy header.
TEST(ConfigTest, FrameSdkUrlMustBeAPlainHttpUrl) {
  EXPECT_EQ(Parse("").bitrix24.frame_sdk_url, "https://api.bitrix24.com/api/v1/");
  EXPECT_EQ(Parse("", {{"OPDESK_BITRIX24_FRAME_SDK_URL", "http://127.0.0.1:8081/_emu/bx24.js"}})
                .bitrix24.frame_sdk_url,
            "http://127.0.0.1:8081/_emu/bx24.js");
  for (const char* url : {"api.bitrix24.com/api/v1/", "https://a.test/x y", "https://a.test';x",
                          "https://a.test/\"x", "https://a.test; script-src *", "https://a.test,b",
                          "https://a.test/<x>", "https://u@a.test/", "https://a.test/\x01"}) {
    EXPECT_EQ(ParseError("", {{"OPDESK_BITRIX24_FRAME_SDK_URL", url}}).field(),
              "bitrix24.frame_sdk_url")
        << url;
  }
}

// The upgrade prompt's way to order: an https link and free text, both optional.
TEST(ConfigTest, TariffOrderUrlIsHttpsAndContactsArePlainText) {
  EXPECT_EQ(Parse("").tariff.order_url, "");
  EXPECT_EQ(Parse("").tariff.contacts, "");
  const Config c = Parse(R"({"tariff":{"order_url":"https://opdesk.example/order?plan=standard",)"
                         R"("contacts":"Чат: @opdesk\nsales@opdesk.example"}})");
  EXPECT_EQ(c.tariff.order_url, "https://opdesk.example/order?plan=standard");
  EXPECT_EQ(c.tariff.contacts, "Чат: @opdesk\nsales@opdesk.example");
  for (const char* url : {"http://opdesk.example/order", "javascript:alert(1)", "opdesk.example",
                          "https://", "https://a.test/\"x", "https://u@a.test/"}) {
    EXPECT_EQ(ParseError("", {{"OPDESK_TARIFF_ORDER_URL", url}}).field(), "tariff.order_url")
        << url;
  }
  EXPECT_EQ(ParseError("", {{"OPDESK_TARIFF_CONTACTS", std::string(301, 'x')}}).field(),
            "tariff.contacts");
  EXPECT_EQ(ParseError("", {{"OPDESK_TARIFF_CONTACTS",
                             "a\x01"
                             "b"}})
                .field(),
            "tariff.contacts");
}

TEST(ConfigTest, MysqlUrlsAreAccepted) {
  for (const char* url :
       {"mysql://op@db/opdesk", "mysql://op:pw@db/opdesk", "mysql://op:p:w!#@db.local:3306/opdesk",
        "mysql://op@[::1]:3306/opdesk"}) {
    EXPECT_EQ(Parse("", {{"OPDESK_DATABASE_URL", url}}).database.url, url);
  }
}

TEST(ConfigTest, BadDatabaseUrlsAreRejected) {
  for (const char* url : {"mysql://op:pw@db", "mysql://op:pw@db/", "mysql://op:pw@/opdesk",
                          "mysql://op:pw@:3306/opdesk", "mysql://:pw@db/opdesk",
                          "mysql://db/opdesk", "mysql://op:pw@db:0/opdesk",
                          "postgres://op:pw@db/opdesk", "sqlite://", "./var/opdesk.db", ""}) {
    EXPECT_EQ(ParseError("", {{"OPDESK_DATABASE_URL", url}}).field(), "database.url") << url;
  }
}

TEST(ConfigTest, RejectedMysqlUrlNeverShowsThePassword) {
  for (const char* url : {"mysql://op:Sup3rSecret@db", "mysql://op:Sup3rSecret@/opdesk",
                          "mysql://op:Sup3r/Secret@db/opdesk", "mysql://op:Sup3rSecret",
                          "mysql://op:Sup3r@Secret@db/opdesk", "postgres://op:Sup3rSecret@db/x"}) {
    const Error file_error = ParseError(std::string(R"({"database": {"url": ")") + url + R"("}})");
    const Error env_error = ParseError("", {{"OPDESK_DATABASE_URL", url}});
    for (const Error* error : {&file_error, &env_error}) {
      EXPECT_EQ(error->field(), "database.url");
      EXPECT_FALSE(Contains(error->what(), "Sup3r")) << error->what();
      EXPECT_FALSE(Contains(error->what(), "Secret")) << error->what();
    }
  }
}

TEST(ConfigTest, MaskDatabaseUrlHidesOnlyThePassword) {
  EXPECT_EQ(MaskDatabaseUrl("mysql://user:pw@host:3306/db"), "mysql://user:***@host:3306/db");
  EXPECT_EQ(MaskDatabaseUrl("mysql://user:p:w@host/db"), "mysql://user:***@host/db");
  EXPECT_EQ(MaskDatabaseUrl("mysql://user@host/db"), "mysql://user@host/db");
  EXPECT_EQ(MaskDatabaseUrl("sqlite://./var/opdesk.db"), "sqlite://./var/opdesk.db");
  EXPECT_EQ(MaskDatabaseUrl("sqlite:///a:b@c.db"), "sqlite:///a:b@c.db");
}

TEST(ConfigTest, BackoffMaxBelowBaseIsRejected) {
  const Error error = ParseError(R"({"jobs": {"backoff_base_ms": 5000, "backoff_max_ms": 4999}})");
  EXPECT_EQ(error.field(), "jobs.backoff_max_ms");
  EXPECT_EQ(ParseError("", {{"OPDESK_JOBS_BACKOFF_BASE_MS", "700000"}}).field(),
            "jobs.backoff_max_ms");
}

TEST(ConfigTest, InvalidJsonIsRejectedWithFileName) {
  const Error error = ParseError(R"({"log": {"level": "debug",}})");
  EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(error.what(), "test.json")) << error.what();
  EXPECT_TRUE(Contains(error.what(), "invalid JSON")) << error.what();
}

TEST(ConfigTest, FirstErrorIsReportedDeterministically) {
  // Both keys are wrong; members are visited in sorted order, so "http" comes before "log".
  const char* text = R"({"log": {"level": "x"}, "http": {"threads": 0}})";
  EXPECT_EQ(ParseError(text).field(), "http.threads");
  EXPECT_EQ(ParseError(text).field(), "http.threads");
}

TEST(ConfigTest, LoadConfigOnMissingFileNamesThePath) {
  const std::string path = "/nonexistent/opdesk-config-test.json";
  try {
    LoadConfig(path, {});
    ADD_FAILURE() << "LoadConfig accepted a missing file";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_TRUE(Contains(e.what(), path)) << e.what();
  }
}

TEST(ConfigTest, LoadConfigReadsFileAndAppliesEnvironment) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "opdesk_config_test_load.json";
  {
    std::ofstream out(path);
    out << R"({"log": {"level": "error"}, "jobs": {"workers": 2}})";
  }
  const Config config = LoadConfig(path.string(), {{"OPDESK_JOBS_WORKERS", "3"}});
  std::filesystem::remove(path);
  EXPECT_EQ(config.log.level, "error");
  EXPECT_EQ(config.jobs.workers, 3);
}

TEST(ConfigTest, LoadConfigWithoutPathUsesDefaults) {
  EXPECT_EQ(LoadConfig("", {}).listen.port, 8080);
}

TEST(ConfigTest, LoadConfigOnDirectoryNamesThePath) {
  const std::string path = std::filesystem::temp_directory_path().string();
  try {
    LoadConfig(path, {});
    ADD_FAILURE() << "LoadConfig accepted a directory";
  } catch (const Error& e) {
    EXPECT_TRUE(Contains(e.what(), path)) << e.what();
  }
}

TEST(ConfigTest, ConfigKeysHaveCorrectEnvironmentNames) {
  const std::map<std::string, std::string> expected = {
      {"listen", "OPDESK_LISTEN"},
      {"public_url", "OPDESK_PUBLIC_URL"},
      {"data_dir", "OPDESK_DATA_DIR"},
      {"database.url", "OPDESK_DATABASE_URL"},
      {"database.pool_size", "OPDESK_DATABASE_POOL_SIZE"},
      {"crypto.master_key_file", "OPDESK_CRYPTO_MASTER_KEY_FILE"},
      {"bitrix24.client_id", "OPDESK_BITRIX24_CLIENT_ID"},
      {"bitrix24.client_secret", "OPDESK_BITRIX24_CLIENT_SECRET"},
      {"bitrix24.oauth_url", "OPDESK_BITRIX24_OAUTH_URL"},
      {"bitrix24.frame_sdk_url", "OPDESK_BITRIX24_FRAME_SDK_URL"},
      {"bitrix24.uninstall_purge_after_ms", "OPDESK_BITRIX24_UNINSTALL_PURGE_AFTER_MS"},
      {"mango.api_url", "OPDESK_MANGO_API_URL"},
      {"mango.directory_refresh_seconds", "OPDESK_MANGO_DIRECTORY_REFRESH_SECONDS"},
      {"megaplan.application_host_domains", "OPDESK_MEGAPLAN_APPLICATION_HOST_DOMAINS"},
      {"megaplan.application_uuid", "OPDESK_MEGAPLAN_APPLICATION_UUID"},
      {"allow_insecure_endpoints", "OPDESK_ALLOW_INSECURE_ENDPOINTS"},
      {"log.level", "OPDESK_LOG_LEVEL"},
      {"log.format", "OPDESK_LOG_FORMAT"},
      {"http.threads", "OPDESK_HTTP_THREADS"},
      {"http.max_body_bytes", "OPDESK_HTTP_MAX_BODY_BYTES"},
      {"jobs.workers", "OPDESK_JOBS_WORKERS"},
      {"jobs.max_attempts", "OPDESK_JOBS_MAX_ATTEMPTS"},
      {"jobs.lease_seconds", "OPDESK_JOBS_LEASE_SECONDS"},
      {"jobs.nice", "OPDESK_JOBS_NICE"},
      {"jobs.poll_interval_ms", "OPDESK_JOBS_POLL_INTERVAL_MS"},
      {"jobs.backoff_base_ms", "OPDESK_JOBS_BACKOFF_BASE_MS"},
      {"jobs.backoff_max_ms", "OPDESK_JOBS_BACKOFF_MAX_MS"},
      {"jobs.retention_hours", "OPDESK_JOBS_RETENTION_HOURS"},
      {"shutdown_timeout_seconds", "OPDESK_SHUTDOWN_TIMEOUT_SECONDS"},
      {"admin.token", "OPDESK_ADMIN_TOKEN"},
      {"ui.dist_dir", "OPDESK_UI_DIST_DIR"},
      {"plans.free.max_users", "OPDESK_PLANS_FREE_MAX_USERS"},
      {"plans.standard.max_users", "OPDESK_PLANS_STANDARD_MAX_USERS"},
      {"plans.check_interval_seconds", "OPDESK_PLANS_CHECK_INTERVAL_SECONDS"},
      {"campaigns.reminder_interval_seconds", "OPDESK_CAMPAIGNS_REMINDER_INTERVAL_SECONDS"},
      {"tariff.order_url", "OPDESK_TARIFF_ORDER_URL"},
      {"tariff.contacts", "OPDESK_TARIFF_CONTACTS"},
      {"crypto.old_master_key_files", "OPDESK_CRYPTO_OLD_MASTER_KEY_FILES"},
      {"jobs.dead_retention_days", "OPDESK_JOBS_DEAD_RETENTION_DAYS"},
      {"retention.events_days", "OPDESK_RETENTION_EVENTS_DAYS"},
  };
  std::map<std::string, std::string> actual;
  std::set<std::string> env_names;
  for (const KeyInfo& key : ConfigKeys()) {
    actual[key.path] = key.env_name;
    env_names.insert(key.env_name);
    EXPECT_FALSE(key.help.empty()) << key.path;
    EXPECT_FALSE(key.type.empty()) << key.path;
  }
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(env_names.size(), ConfigKeys().size()) << "two keys share an environment name";
}

TEST(ConfigTest, ConfigKeysDefaultsParseBackToTheDefaults) {
  // Feeding every documented default in through the environment must change nothing, which
  // keeps --help honest.
  Env env;
  for (const KeyInfo& key : ConfigKeys()) {
    env[key.env_name] = key.default_value;
  }
  const Config from_env = Parse("", env);
  const Config defaults = Parse("");
  EXPECT_EQ(from_env.database.url, defaults.database.url);
  EXPECT_EQ(from_env.crypto.master_key_file, defaults.crypto.master_key_file);
  EXPECT_EQ(from_env.bitrix24.oauth_url, defaults.bitrix24.oauth_url);
  EXPECT_EQ(from_env.listen.port, defaults.listen.port);
  EXPECT_EQ(from_env.jobs.backoff_max_ms, defaults.jobs.backoff_max_ms);
}

}  // namespace
}  // namespace opdesk::app

namespace opdesk::app {
namespace {

TEST(ConfigTest, AdminTokenIsOffByDefaultAndMustBeLongWhenSet) {
  EXPECT_EQ(ParseConfig("", "", {}).admin.token, "");
  const std::string token(32, 'a');
  EXPECT_EQ(ParseConfig("", "", {{"OPDESK_ADMIN_TOKEN", token}}).admin.token, token);
  try {
    ParseConfig("{\"admin\": {\"token\": \"short\"}}", "opdesk.json", {});
    FAIL() << "a short admin token was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "admin.token");
  }
}

}  // namespace
}  // namespace opdesk::app

namespace opdesk::app {
namespace {

TEST(ConfigTest, PlanLimitsDefaultToFeaturesE1AndTheFreePlanCanBeRaisedToThree) {
  const Config defaults = ParseConfig("", "", {});
  EXPECT_EQ(defaults.plans.free_max_users, 2);
  EXPECT_EQ(defaults.plans.standard_max_users, 7);
  EXPECT_EQ(defaults.plans.check_interval_seconds, 300);
  EXPECT_EQ(defaults.campaigns.reminder_interval_seconds, 30);
  // The other price list of source 002: 1 to 3 users free.
  const Config three = ParseConfig(R"({"plans": {"free": {"max_users": 3}}})", "opdesk.json", {});
  EXPECT_EQ(three.plans.free_max_users, 3);
  EXPECT_EQ(ParseConfig("", "", {{"OPDESK_PLANS_FREE_MAX_USERS", "3"}}).plans.free_max_users, 3);
}

TEST(ConfigTest, StandardPlanMayNotAllowFewerUsersThanTheFreeOne) {
  try {
    ParseConfig(R"({"plans": {"free": {"max_users": 8}}})", "opdesk.json", {});
    FAIL() << "free 8 > standard 7 was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "plans.standard.max_users");
  }
  try {
    ParseConfig(R"({"plans": {"free": {"max_users": 0}}})", "opdesk.json", {});
    FAIL() << "a free plan without seats was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "plans.free.max_users");
  }
}

}  // namespace
}  // namespace opdesk::app

namespace opdesk::app {
namespace {

TEST(ConfigTest, RetiredMasterKeysAreAnEmptyListByDefault) {
  const Config defaults = ParseConfig("", "", {});
  EXPECT_TRUE(defaults.crypto.old_master_key_files.empty());
  const Config from_env =
      ParseConfig("", "", {{"OPDESK_CRYPTO_OLD_MASTER_KEY_FILES", "/k/2025.key, /k/2024.key"}});
  EXPECT_EQ(from_env.crypto.old_master_key_files,
            (std::vector<std::string>{"/k/2025.key", "/k/2024.key"}));
  const Config from_file =
      ParseConfig(R"({"crypto": {"old_master_key_files": ["/k/a.key"]}})", "opdesk.json", {});
  EXPECT_EQ(from_file.crypto.old_master_key_files, (std::vector<std::string>{"/k/a.key"}));
  try {
    ParseConfig("", "", {{"OPDESK_CRYPTO_OLD_MASTER_KEY_FILES", "/k/a.key,/k/a.key"}});
    FAIL() << "a key listed twice was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "crypto.old_master_key_files");
  }
}

TEST(ConfigTest, RetentionOfEventsAndDeadJobsHasDefaultsAndBounds) {
  const Config defaults = ParseConfig("", "", {});
  EXPECT_EQ(defaults.retention.events_days, 30);
  EXPECT_EQ(defaults.jobs.dead_retention_days, 14);
  const Config set = ParseConfig(R"({"retention": {"events_days": 7}})", "opdesk.json",
                                 {{"OPDESK_JOBS_DEAD_RETENTION_DAYS", "3"}});
  EXPECT_EQ(set.retention.events_days, 7);
  EXPECT_EQ(set.jobs.dead_retention_days, 3);
  for (const auto& [name, value] : std::map<std::string, std::string>{
           {"OPDESK_RETENTION_EVENTS_DAYS", "0"}, {"OPDESK_JOBS_DEAD_RETENTION_DAYS", "0"}}) {
    EXPECT_THROW(ParseConfig("", "", {{name, value}}), Error) << name;
  }
}

}  // namespace
}  // namespace opdesk::app
