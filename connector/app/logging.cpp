#include "connector/app/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "connector/domain/log_escape.h"
#include "connector/http/message.h"
#include "connector/http/request_context.h"

namespace opdesk::app {
namespace {

// One valid JSON object per line: every field is escaped, so a quote or newline inside a CRM
// name or an error body cannot break the line (spdlog's %v is not escaped).
class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(msg.time.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char ts[96];
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(ms % 1000));
    const auto level = spdlog::level::to_string_view(msg.level);
    const std::string& req_id = http::CurrentRequestId();
    std::string line =
        std::string("{\"ts\":\"") + ts +
        "\",\"level\":" + http::JsonQuote(std::string_view(level.data(), level.size())) +
        ",\"thread\":" + std::to_string(msg.thread_id) +
        (req_id.empty() ? std::string() : ",\"req_id\":" + http::JsonQuote(req_id)) +
        ",\"msg\":" + http::JsonQuote(std::string_view(msg.payload.data(), msg.payload.size())) +
        "}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

// `%*` in the text pattern: "req_id=<id> " while the thread serves a request, else nothing.
class RequestIdFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string& id = http::CurrentRequestId();
    if (!id.empty()) {
      const std::string text = "req_id=" + id + " ";
      dest.append(text.data(), text.data() + text.size());
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RequestIdFlag>();
  }
};

// `%~` in the text pattern: the message with control characters escaped, so that a value that
// slipped into a message unescaped still cannot end the line and forge the next one.
class SafeMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string text =
        EscapeLogControls(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SafeMessageFlag>();
  }
};

}  // namespace

void SetupLogging(const std::string& level, const std::string& format) {
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("opdesk", sink);
  if (format == "json") {
    logger->set_formatter(std::make_unique<JsonLineFormatter>());
  } else {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<RequestIdFlag>('*').add_flag<SafeMessageFlag>('~').set_pattern(
        "%Y-%m-%dT%H:%M:%S.%e%z %l %*%~");
    logger->set_formatter(std::move(formatter));
  }
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void ShutdownLogging() {
  spdlog::default_logger()->flush();
  spdlog::shutdown();
}

}  // namespace opdesk::app
