// The company structure and time tracking: department.get (ID, NAME, SORT, PARENT, UF_HEAD; 50 a
// page with `start`) and timeman.status (USER_ID; STATUS OPENED / CLOSED / PAUSED / EXPIRED).
// Tests change a user's working day or online flag, or switch time tracking off, through
// POST /_emu/presence (control.cpp).
#include "tests/emulators/bitrix24/methods.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {
namespace {

MethodResult DepartmentGet(CallContext& ctx, const Json& params) {
  Json filter = Json::object(true);
  for (const char* key : {"ID", "NAME", "PARENT", "UF_HEAD"}) {
    if (const Json* v = FindAnyCase(params, key); v != nullptr && !v->is_object()) {
      filter[key] = *v;
    }
  }
  std::vector<Json> rows;
  for (const auto& [id, d] : ctx.st.data.departments) {
    rows.push_back(d);
  }
  Json order = Json::object(true);
  if (NonEmpty(params, "sort")) {
    order[Str(params, "sort")] = Json::string(Str(params, "order", "ASC"));
  }
  return ListRows(rows, filter, order, Json::null(), Find(params, "start"), {});
}

MethodResult TimemanStatus(CallContext& ctx, const Json& params) {
  if (!ctx.st.data.timeman_enabled) {
    return Fail(400, "ACCESS_DENIED", "Time tracking is not available on this portal");
  }
  const int user = static_cast<int>(Int(params, "USER_ID").value_or(ctx.user_id));
  if (!ctx.st.data.users.count(user)) {
    return Fail(400, "USER_NOT_FOUND", "User not found");
  }
  auto it = ctx.st.data.timeman.find(user);
  const std::string status = it == ctx.st.data.timeman.end() ? "CLOSED" : it->second;
  Json r = Json::object(true);
  r["STATUS"] = Json::string(status);
  r["TIME_START"] = status == "CLOSED" ? Json::null() : Json::string("2026-01-01T09:00:00+03:00");
  r["TIME_FINISH"] = Json::null();
  r["DURATION"] = Json::string("00:00:00");
  r["TIME_LEAKS"] = Json::string("00:00:00");
  r["ACTIVE"] = Json::boolean(status == "OPENED");
  return Ok(r);
}

}  // namespace

void RegisterStructure(Registry& r) {
  r["department.get"] = DepartmentGet;
  r["timeman.status"] = TimemanStatus;
}

}  // namespace b24emu
