// What follows a dialing task's call, as a portal answers it: the product catalog
// (crm.product.list), smart invoices (crm.item.add / crm.item.get with entityTypeId 31) and
// their product rows (crm.item.productrow.set, ownerType "SI"), and e-mail activities
// (crm.activity.add, TYPE_ID 4). Everything sent is kept in the state (/_emu/state: "products",
// "invoices" with their "productRows", "activities") for the tests to assert.
#include <cmath>

#include "tests/emulators/bitrix24/crm_store.h"
#include "tests/emulators/bitrix24/methods.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {
namespace {

constexpr int kSmartInvoice = 31;

MethodResult ProductList(CallContext& ctx, const Json& params) {
  std::vector<Json> rows;
  for (const auto& [id, p] : ctx.st.data.products) {
    rows.push_back(p);
  }
  const Json empty = Json::object();
  const Json* filter = FindAnyCase(params, "filter");
  const Json* order = FindAnyCase(params, "order");
  const Json* select = FindAnyCase(params, "select");
  return ListRows(std::move(rows), filter ? *filter : empty, order ? *order : empty,
                  select ? *select : Json::array(), Find(params, "start"), {});
}

MethodResult ItemAdd(CallContext& ctx, const Json& params) {
  const int type = static_cast<int>(Int(params, "entityTypeId").value_or(0));
  if (type != kSmartInvoice) {
    return Fail(400, "NOT_FOUND", "this emulator adds only smart invoices (entityTypeId 31)");
  }
  const Json* fields = Find(params, "fields");
  if (fields == nullptr || !fields->is_object()) {
    return Fail(400, "ERROR_ARGUMENT", "Required parameter 'fields' is not set");
  }
  const int contact = static_cast<int>(Int(*fields, "contactId").value_or(0));
  const int company = static_cast<int>(Int(*fields, "companyId").value_or(0));
  if (contact != 0 && !EntityExists(ctx.st.data, "contact", contact)) {
    return Fail(400, "NOT_FOUND", "Contact not found");
  }
  if (company != 0 && !EntityExists(ctx.st.data, "company", company)) {
    return Fail(400, "NOT_FOUND", "Company not found");
  }
  const int id = ctx.st.NextId("invoice");
  Json item = Json::object(true);
  item["id"] = Json::number(id);
  item["entityTypeId"] = Json::number(kSmartInvoice);
  item["title"] = Json::string(Str(*fields, "title", "Счёт #" + std::to_string(id)));
  item["contactId"] = contact ? Json::number(contact) : Json::null();
  item["companyId"] = company ? Json::number(company) : Json::null();
  item["assignedById"] = Json::number(Int(*fields, "assignedById").value_or(ctx.user_id));
  item["closedate"] = fields->has_field("closedate") ? fields->at("closedate") : Json::null();
  item["createdBy"] = Json::number(ctx.user_id);
  item["createdTime"] = Json::string(IsoTime(NowS()));
  item["opportunity"] = Json::number(0);
  item["productRows"] = Json::array();
  ctx.st.data.invoices[id] = item;
  Json out = Json::object(true);
  out["item"] = item;
  return Ok(out);
}

MethodResult ItemGet(CallContext& ctx, const Json& params) {
  const int type = static_cast<int>(Int(params, "entityTypeId").value_or(0));
  const int id = static_cast<int>(Int(params, "id").value_or(0));
  auto it = ctx.st.data.invoices.find(id);
  if (type != kSmartInvoice || it == ctx.st.data.invoices.end()) {
    return Fail(400, "NOT_FOUND", "Element not found");
  }
  Json out = Json::object(true);
  out["item"] = it->second;
  return Ok(out);
}

std::optional<double> Number(const Json& obj, const std::string& key) {
  const Json* v = Find(obj, key);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_number()) {
    return v->as_double();
  }
  try {
    std::size_t used = 0;
    const std::string text = AsString(*v);
    const double d = std::stod(text, &used);
    return used == text.size() ? std::optional<double>(d) : std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

MethodResult ProductRowSet(CallContext& ctx, const Json& params) {
  if (Str(params, "ownerType") != "SI") {
    return Fail(400, "ERROR_ARGUMENT", "this emulator sets rows of smart invoices (ownerType SI)");
  }
  const int owner = static_cast<int>(Int(params, "ownerId").value_or(0));
  auto it = ctx.st.data.invoices.find(owner);
  if (it == ctx.st.data.invoices.end()) {
    return Fail(400, "NOT_FOUND", "Owner not found");
  }
  const Json* rows = Find(params, "productRows");
  if (rows == nullptr || !rows->is_array()) {
    return Fail(400, "ERROR_ARGUMENT", "Required parameter 'productRows' is not set");
  }
  Json stored = Json::array();
  double total = 0;
  std::size_t i = 0;
  for (const Json& r : rows->as_array()) {
    const int product = static_cast<int>(Int(r, "productId").value_or(0));
    const std::optional<double> price = Number(r, "price");
    const std::optional<double> quantity = Number(r, "quantity");
    if (product != 0 && ctx.st.data.products.count(product) == 0) {
      return Fail(400, "NOT_FOUND", "Product " + std::to_string(product) + " not found");
    }
    if (!price || *price < 0 || !quantity || *quantity <= 0) {
      return Fail(400, "ERROR_ARGUMENT", "a product row needs price >= 0 and quantity > 0");
    }
    Json row = Json::object(true);
    row["id"] = Json::number(ctx.st.NextId("productrow"));
    row["ownerId"] = Json::number(owner);
    row["ownerType"] = Json::string("SI");
    row["productId"] = Json::number(product);
    row["productName"] = Json::string(Str(r, "productName"));
    row["price"] = Json::number(*price);
    row["quantity"] = Json::number(*quantity);
    total += *price * *quantity;
    stored[i++] = row;
  }
  it->second["productRows"] = stored;  // replaces every row, as the portal does
  it->second["opportunity"] = Json::number(std::round(total * 100) / 100);
  Json out = Json::object(true);
  out["productRows"] = stored;
  return Ok(out);
}

// crm.activity.add: e-mails (TYPE_ID 4) need COMMUNICATIONS; the activity lands in the owner's
// timeline (crm.activity.list).
MethodResult ActivityAdd(CallContext& ctx, const Json& params) {
  const Json* fields = FindAnyCase(params, "fields");
  if (fields == nullptr || !fields->is_object()) {
    return Fail(400, "ERROR_ARGUMENT", "Required parameter 'fields' is not set");
  }
  for (const char* key : {"OWNER_TYPE_ID", "OWNER_ID", "TYPE_ID", "RESPONSIBLE_ID"}) {
    if (!NonEmpty(*fields, key)) {
      return Fail(400, "ERROR_ARGUMENT", std::string("Required field '") + key + "' is not set");
    }
  }
  const std::string kind =
      KindFromTypeId(static_cast<int>(Int(*fields, "OWNER_TYPE_ID").value_or(0)));
  const int owner = static_cast<int>(Int(*fields, "OWNER_ID").value_or(0));
  if (kind.empty() || !EntityExists(ctx.st.data, kind, owner)) {
    return Fail(400, "OWNER_NOT_FOUND", "Owner not found");
  }
  const Json* comms = Find(*fields, "COMMUNICATIONS");
  if (comms == nullptr || !comms->is_array() || comms->size() == 0) {
    return Fail(400, "ERROR_ARGUMENT", "COMMUNICATIONS are required");
  }
  const int id = ctx.st.NextId("activity");
  Json a = Json::object(true);
  a["ID"] = Json::string(std::to_string(id));
  a["OWNER_TYPE_ID"] = Json::string(std::to_string(TypeIdFromKind(kind)));
  a["OWNER_ID"] = Json::string(std::to_string(owner));
  a["TYPE_ID"] = Json::string(Str(*fields, "TYPE_ID"));
  a["PROVIDER_ID"] = Json::string(Str(*fields, "TYPE_ID") == "4" ? "CRM_EMAIL" : "");
  a["SUBJECT"] = Json::string(Str(*fields, "SUBJECT"));
  a["DESCRIPTION"] = Json::string(Str(*fields, "DESCRIPTION"));
  a["DESCRIPTION_TYPE"] = Json::string(Str(*fields, "DESCRIPTION_TYPE", "1"));
  a["DIRECTION"] = Json::string(Str(*fields, "DIRECTION", "2"));
  a["COMPLETED"] = Json::string(Str(*fields, "COMPLETED", "N"));
  a["RESPONSIBLE_ID"] = Json::string(Str(*fields, "RESPONSIBLE_ID"));
  a["AUTHOR_ID"] = Json::string(std::to_string(ctx.user_id));
  a["COMMUNICATIONS"] = *comms;
  a["CREATED"] = Json::string(IsoTime(NowS()));
  ctx.st.data.activities[id] = a;
  return Ok(Json::number(id));
}

}  // namespace

void RegisterCrmSales(Registry& r) {
  r["crm.product.list"] = ProductList;
  r["crm.item.add"] = ItemAdd;
  r["crm.item.get"] = ItemGet;
  r["crm.item.productrow.set"] = ProductRowSet;
  r["crm.activity.add"] = ActivityAdd;
}

}  // namespace b24emu
