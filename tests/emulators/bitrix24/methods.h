// The REST method table. Handlers run with the state mutex held and return a MethodResult that
// rest.cpp wraps in the Bitrix24 envelope (or in a batch's result_* maps).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "tests/emulators/bitrix24/state.h"

namespace b24emu {

struct MethodResult {
  int status = 200;
  Json result;
  bool is_list = false;
  std::optional<int64_t> total;  // list methods; absent with start=-1
  std::optional<int64_t> next;   // absent on the last page
  std::string error;
  std::string description;
  Json extra = Json::object(true);  // additional error fields, e.g. "argument"
  bool ok() const { return status == 200; }
};

MethodResult Ok(Json result);
MethodResult Fail(int status, const std::string& error, const std::string& description);

struct CallContext {
  State& st;
  int user_id = 0;
  bool admin = false;
  // Every emulator token comes from the OAuth flow (install callback, refresh, frame), so every
  // call runs in application context; WRONG_AUTH_TYPE is therefore never produced.
  bool app_context = true;
};

using Handler = std::function<MethodResult(CallContext&, const Json& params)>;
using Registry = std::map<std::string, Handler>;  // lower-case method name -> handler

void RegisterPlatform(Registry& r);
void RegisterStructure(Registry& r);  // department.get, timeman.status
void RegisterCrmEntities(Registry& r);
void RegisterCrmMisc(Registry& r);
void RegisterCrmSales(Registry& r);  // products, smart invoices, e-mail activities
void RegisterTelephonyLines(Registry& r);
void RegisterTelephonyCalls(Registry& r);

const Registry& Methods();

// Applies filter/order/select/start to `rows` the way crm.*.list and user.get do: 50 per page,
// `total`, `next`, and start=-1 for the cheap no-count mode. `multifields` (PHONE, EMAIL) are
// returned only when selected by name.
MethodResult ListRows(std::vector<Json> rows, const Json& filter, const Json& order,
                      const Json& select, const Json* start,
                      const std::vector<std::string>& multifields);

}  // namespace b24emu
