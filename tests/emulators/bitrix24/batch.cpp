// `batch`: up to 50 commands run in order, with $result[key][…] references to earlier results.
#include <regex>

#include "tests/emulators/bitrix24/rest.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

namespace {

// Follows `[a][0][ID]` into an earlier command's result.
std::string Resolve(const Json& results, const std::string& key, const std::string& path) {
  const Json* node = Find(results, key);
  static const std::regex kSeg(R"(\[([^\]]*)\])");
  for (auto it = std::sregex_iterator(path.begin(), path.end(), kSeg);
       node != nullptr && it != std::sregex_iterator(); ++it) {
    std::string seg = (*it)[1];
    if (node->is_array()) {
      auto index = AsInt(Json::string(seg));
      node = index && *index >= 0 && static_cast<size_t>(*index) < node->size()
                 ? &node->as_array().at(static_cast<size_t>(*index))
                 : nullptr;
    } else {
      node = Find(*node, seg);
    }
  }
  return node == nullptr ? "" : AsString(*node);
}

// The portal splices referenced values into the command's query string, so every substituted
// value becomes a string.
void Substitute(Json& value, const Json& results) {
  if (value.is_object()) {
    for (auto& [k, v] : value.as_object()) {
      Substitute(v, results);
    }
  } else if (value.is_array()) {
    for (auto& v : value.as_array()) {
      Substitute(v, results);
    }
  } else if (value.is_string()) {
    static const std::regex kRef(R"(\$result\[([^\]]+)\]((?:\[[^\]]*\])*))");
    const std::string text = value.as_string();
    std::string out;
    auto last = text.cbegin();
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kRef);
         it != std::sregex_iterator(); ++it) {
      out.append(last, text.cbegin() + it->position());
      out += Resolve(results, (*it)[1], (*it)[2]);
      last = text.cbegin() + it->position() + it->length();
    }
    if (last != text.cbegin()) {
      out.append(last, text.cend());
      value = Json::string(out);
    }
  }
}

// PHP encodes an empty map as [], which is what the portal sends for empty result_* maps.
Json EmptyAsArray(const Json& obj) {
  return obj.size() == 0 ? Json::array() : obj;
}

}  // namespace

MethodResult RunBatch(CallContext& ctx, const Json& params, int64_t parent_seq) {
  State& st = ctx.st;
  std::vector<std::pair<std::string, std::string>> commands;
  if (const Json* cmd = Find(params, "cmd")) {
    if (cmd->is_object()) {
      for (const auto& [k, v] : cmd->as_object()) {
        commands.emplace_back(k, AsString(v));
      }
    } else if (cmd->is_array()) {
      for (size_t i = 0; i < cmd->size(); ++i) {
        commands.emplace_back(std::to_string(i), AsString(cmd->at(i)));
      }
    }
  }
  if (commands.size() > 50) {
    return Fail(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded");
  }
  for (const auto& [key, text] : commands) {
    std::string m = ToLower(text.substr(0, text.find('?')));
    if (m == "batch" || m == "batch.json") {
      return Fail(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage");
    }
  }
  bool halt = Find(params, "halt") != nullptr && Truthy(params.at("halt"));
  Json result = Json::object(true), errors = Json::object(true), totals = Json::object(true),
       nexts = Json::object(true), times = Json::object(true);
  for (const auto& [key, text] : commands) {
    double start = NowS();
    size_t q = text.find('?');
    std::string method = ToLower(text.substr(0, q));
    if (method.size() > 5 && method.ends_with(".json")) {
      method.resize(method.size() - 5);
    }
    Json sub = Json::object(true);
    if (q != std::string::npos) {
      ParseFormInto(sub, text.substr(q + 1));
    }
    Substitute(sub, result);
    Json entry = NewLogEntry(st, "BATCH", "/rest/batch", method, sub);
    entry["batch_parent"] = Json::number(parent_seq);
    entry["batch_key"] = Json::string(key);
    entry["user_id"] = Json::number(ctx.user_id);
    size_t idx = LogRequest(st, entry);
    MethodResult r;
    auto fault = TakeFault(st, method, true);  // only faults naming this method reach inside
    if (fault && fault->status != 0) {
      r = FaultResult(st, *fault, method);
    } else {
      r = RunMethod(ctx, method, sub);
    }
    st.requests[idx]["status"] = Json::number(r.status);
    st.requests[idx]["error"] = Json::string(r.error);
    if (r.ok()) {
      result[key] = r.result;
      if (r.total) {
        totals[key] = Json::number(*r.total);
      }
      if (r.next) {
        nexts[key] = Json::number(*r.next);
      }
      times[key] = TimeBlock(st, method, start, NowS());
    } else {
      errors[key] = ErrorBody(r);
      if (halt) {
        break;
      }
    }
  }
  Json out = Json::object(true);
  out["result"] = EmptyAsArray(result);
  out["result_error"] = EmptyAsArray(errors);
  out["result_total"] = EmptyAsArray(totals);
  out["result_next"] = EmptyAsArray(nexts);
  out["result_time"] = EmptyAsArray(times);
  return Ok(out);
}

}  // namespace b24emu
