// Batches and lists on top of RestClient::Call: a batch of up to 50 commands in one request,
// and the two ways of reading every row of a list method.
#include <cpprest/json.h>

#include "adapters/bitrix24/rest_client.h"
#include "adapters/http_transport.h"
#include "adapters/json_read.h"
#include "connector/domain/error.h"

namespace opdesk::bitrix24 {
namespace {

using adapters::JsonString;

void AppendPhp(const std::string& prefix, const web::json::value& v, std::string& out) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.as_object()) {
      AppendPhp(prefix.empty() ? k : prefix + "[" + k + "]", child, out);
    }
    return;
  }
  if (v.is_array()) {
    const auto& arr = v.as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      AppendPhp(prefix + "[" + std::to_string(i) + "]", arr.at(i), out);
    }
    return;
  }
  std::string text;
  if (v.is_string()) {
    text = v.as_string();
  } else if (v.is_boolean()) {
    text = v.as_bool() ? "Y" : "N";
  } else if (v.is_null()) {
    text = "";
  } else {
    text = v.serialize();
  }
  out += (out.empty() ? "" : "&") + adapters::UrlEncode(prefix) + "=" + adapters::UrlEncode(text);
}

}  // namespace

struct BatchResult::Results {
  std::map<std::string, web::json::value> by_key;
};

BatchResult::BatchResult() : results_(std::make_unique<Results>()) {}
BatchResult::~BatchResult() = default;
BatchResult::BatchResult(BatchResult&&) noexcept = default;
BatchResult& BatchResult::operator=(BatchResult&&) noexcept = default;

std::map<std::string, web::json::value>& BatchResult::results() {
  return results_->by_key;
}

const std::map<std::string, web::json::value>& BatchResult::results() const {
  return results_->by_key;
}

std::string EncodePhpQuery(const web::json::value& params) {
  std::string out;
  if (params.is_object()) {
    AppendPhp("", params, out);
  }
  return out;
}

std::string RestClient::BatchCommand(const std::string& method, const web::json::value& params) {
  const std::string query = EncodePhpQuery(params);
  return query.empty() ? method : method + "?" + query;
}

BatchResult RestClient::Batch(const std::string& tenant_id,
                              const std::vector<std::pair<std::string, std::string>>& commands,
                              bool halt, const CallOptions& options) {
  if (commands.empty() || commands.size() > 50) {
    throw InvalidArgument("a batch holds 1 to 50 commands, got " + std::to_string(commands.size()));
  }
  web::json::value params = web::json::value::object();
  // The portal runs the commands in the order they are sent, and `$result[key]` refers only to
  // earlier ones: keep the caller's order (a plain object would sort the keys).
  web::json::value cmd = web::json::value::object(true);
  for (const auto& [key, command] : commands) {
    cmd[key] = web::json::value::string(command);
  }
  params["cmd"] = cmd;
  params["halt"] = web::json::value::number(halt ? 1 : 0);
  web::json::value result = Call(tenant_id, "batch", params, options);
  BatchResult out;
  if (result.has_field("result") && result.at("result").is_object()) {
    for (const auto& [key, value] : result.at("result").as_object()) {
      out.results()[key] = value;
    }
  }
  if (result.has_field("result_error") && result.at("result_error").is_object()) {
    for (const auto& [key, value] : result.at("result_error").as_object()) {
      out.errors[key] = JsonString(value, "error") + ": " + JsonString(value, "error_description");
    }
  }
  return out;
}

std::vector<web::json::value> RestClient::ListAll(const std::string& tenant_id,
                                                  const std::string& method,
                                                  web::json::value params,
                                                  const CallOptions& options,
                                                  std::size_t max_rows) {
  std::vector<web::json::value> rows;
  long long start = 0;
  while (rows.size() < max_rows) {
    params["start"] = web::json::value::number(static_cast<int64_t>(start));
    Paging paging;
    const web::json::value result = CallPaged(tenant_id, method, params, options, &paging);
    if (result.is_array()) {
      for (const auto& row : result.as_array()) {
        rows.push_back(row);
      }
    }
    if (!paging.next) {
      break;
    }
    start = *paging.next;
  }
  if (rows.size() > max_rows) {
    rows.resize(max_rows);
  }
  return rows;
}

std::vector<web::json::value> RestClient::ScanById(const std::string& tenant_id,
                                                   const std::string& method,
                                                   web::json::value params,
                                                   const CallOptions& options,
                                                   std::size_t max_rows) {
  std::vector<web::json::value> rows;
  long long last_id = 0;
  params["start"] = web::json::value::number(-1);
  params["order"] = web::json::value::object();
  params["order"]["ID"] = web::json::value::string("ASC");
  if (!params.has_field("filter")) {
    params["filter"] = web::json::value::object();
  }
  while (rows.size() < max_rows) {
    params["filter"][">ID"] = web::json::value::number(static_cast<int64_t>(last_id));
    web::json::value page = Call(tenant_id, method, params, options);
    if (!page.is_array() || page.as_array().size() == 0) {
      break;
    }
    for (const auto& row : page.as_array()) {
      rows.push_back(row);
      const web::json::value& id = row.at("ID");
      last_id = id.is_string() ? std::stoll(id.as_string()) : id.as_number().to_int64();
    }
    if (page.as_array().size() < 50) {
      break;
    }
  }
  return rows;
}

}  // namespace opdesk::bitrix24
