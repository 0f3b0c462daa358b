// Bitrix24Crm: what follows a dialing task's call (FEATURES F6, F7).
//
// References followed (reference bitrix24.md §6.1, §6.3, §6.5; rest-docs crm/products,
// crm/universal/crm-item-add, crm/universal/product-rows/crm-item-productrow-set,
// crm/timeline/comments/crm-timeline-comment-add, activities/activity-base/crm-activity-add):
// - products: `crm.product.list` (order ID ASC, select ID NAME PRICE CURRENCY_ID), paged here by
//   `filter[>ID]` with `start=-1` as RestClient::ScanById does, 50 a page;
// - the client's address: `crm.{contact|company|lead}.get` → EMAIL[0].VALUE (multi-field);
// - the e-mail: `crm.activity.add` with TYPE_ID 4 (e-mail), DIRECTION 2 (outgoing),
//   DESCRIPTION_TYPE 1 (plain text) and the recipient in COMMUNICATIONS bound to the client.
//   The copy to the operator is a second COMMUNICATIONS entry of the same activity: the
//   reference names COMMUNICATIONS as the recipients and says nothing of a CC field, so this is
//   an assumption to check on a real portal;
// - the recording: `crm.timeline.comment.add` with `fields.FILES` as [[name, base64]] (the
//   REST file form, "fileData"; the comment's FILES field is attached_diskfile);
// - the invoice: `crm.item.add` with entityTypeId 31 (smart invoice, §6.1) and fields title,
//   contactId or companyId, assignedById and closedate (the seed's «срок отмены счёта»: the
//   invoice's close date; its mapping to closedate is an assumption), answer `{item: {id}}`;
//   then `crm.item.productrow.set` with ownerType "SI" (the smart invoice's short code) and
//   productRows [{productId, productName, price, quantity}], which replaces every row (safe to
//   repeat).
#include <cpprest/json.h>

#include <algorithm>

#include "adapters/bitrix24/bitrix24_crm.h"
#include "adapters/bitrix24/bitrix24_crm_util.h"
#include "adapters/json_read.h"
#include "oauth/crypto.h"

namespace opdesk::bitrix24 {
namespace {

using web::json::value;

constexpr int kSmartInvoiceTypeId = 31;
constexpr int kProductPage = 50;

int OwnerTypeId(const std::string& entity) {
  if (entity == "lead") {
    return 1;
  }
  if (entity == "deal") {
    return 2;
  }
  return entity == "contact" ? 3 : 4;
}

std::string IdOf(const value& v) {
  if (v.is_number()) {
    return std::to_string(v.as_number().to_int64());
  }
  return v.is_string() ? v.as_string() : "";
}

}  // namespace

adapters::CrmProductPage Bitrix24Crm::ListProducts(const std::string& tenant_id, long long start,
                                                   const adapters::RequestOptions& options) {
  value params = value::object();
  params["order"]["ID"] = value::string("ASC");
  params["filter"][">ID"] = value::number(static_cast<int64_t>(std::max(0LL, start)));
  params["select"][0] = value::string("ID");
  params["select"][1] = value::string("NAME");
  params["select"][2] = value::string("PRICE");
  params["select"][3] = value::string("CURRENCY_ID");
  params["start"] = value::number(-1);
  const value r = rest_.Call(tenant_id, "crm.product.list", params, ToCallOptions(options, true));
  adapters::CrmProductPage page;
  if (!r.is_array()) {
    return page;
  }
  for (const value& row : r.as_array()) {
    adapters::CrmProduct p;
    p.id = IntText(row, "ID");
    p.name = adapters::JsonText(row, "NAME");
    p.price = adapters::JsonText(row, "PRICE");
    if (p.price.empty() && row.has_field("PRICE") && row.at("PRICE").is_number()) {
      p.price = row.at("PRICE").serialize();
    }
    p.currency = adapters::JsonText(row, "CURRENCY_ID");
    if (!p.id.empty()) {
      page.products.push_back(std::move(p));
    }
  }
  if (static_cast<int>(r.as_array().size()) >= kProductPage && !page.products.empty()) {
    page.next = std::stoll(page.products.back().id);
  }
  return page;
}

std::string Bitrix24Crm::ClientEmail(const std::string& tenant_id,
                                     const adapters::CrmRecord& client,
                                     const adapters::RequestOptions& options) {
  value params = value::object();
  params["id"] = value::string(client.id);
  const value r =
      rest_.Call(tenant_id, "crm." + client.entity + ".get", params, ToCallOptions(options, true));
  if (r.is_object() && r.has_field("EMAIL") && r.at("EMAIL").is_array()) {
    for (const value& e : r.at("EMAIL").as_array()) {
      const std::string v = adapters::JsonText(e, "VALUE");
      if (!v.empty()) {
        return v;
      }
    }
  }
  return "";
}

std::string Bitrix24Crm::SendEmail(const std::string& tenant_id, const adapters::CrmRecord& client,
                                   const adapters::EmailMessage& m,
                                   const adapters::RequestOptions& options) {
  value params = value::object();
  value& f = params["fields"];
  f["OWNER_TYPE_ID"] = value::number(OwnerTypeId(client.entity));
  f["OWNER_ID"] = value::string(client.id);
  f["TYPE_ID"] = value::number(4);
  f["DIRECTION"] = value::number(2);
  f["SUBJECT"] = value::string(m.subject);
  f["DESCRIPTION"] = value::string(m.body);
  f["DESCRIPTION_TYPE"] = value::number(1);
  f["COMPLETED"] = value::string("Y");
  f["RESPONSIBLE_ID"] = value::string(m.responsible_user_id);
  int i = 0;
  for (const std::string* to : {&m.to, &m.copy_to}) {
    if (to->empty()) {
      continue;
    }
    value& c = f["COMMUNICATIONS"][static_cast<std::size_t>(i++)];
    c["VALUE"] = value::string(*to);
    c["ENTITY_ID"] = value::string(client.id);
    c["ENTITY_TYPE_ID"] = value::number(OwnerTypeId(client.entity));
  }
  return IdOf(rest_.Call(tenant_id, "crm.activity.add", params,
                         ToCallOptions(options, /*idempotent=*/false)));
}

std::string Bitrix24Crm::AttachFile(const std::string& tenant_id, const adapters::CrmRecord& client,
                                    const std::string& text, const std::string& filename,
                                    const std::string& content,
                                    const adapters::RequestOptions& options) {
  value params = value::object();
  value& f = params["fields"];
  f["ENTITY_ID"] = value::string(client.id);
  f["ENTITY_TYPE"] = value::string(client.entity);
  f["COMMENT"] = value::string(text);
  f["FILES"][0][0] = value::string(filename);
  f["FILES"][0][1] = value::string(crypto::Base64Encode(content));
  return IdOf(rest_.Call(tenant_id, "crm.timeline.comment.add", params,
                         ToCallOptions(options, /*idempotent=*/false)));
}

std::string Bitrix24Crm::AddInvoice(const std::string& tenant_id, const adapters::NewInvoice& inv,
                                    const adapters::RequestOptions& options) {
  value params = value::object();
  params["entityTypeId"] = value::number(kSmartInvoiceTypeId);
  value& f = params["fields"];
  f["title"] = value::string(inv.title);
  if (inv.client.entity == "company") {
    f["companyId"] = value::string(inv.client.id);
  } else {
    f["contactId"] = value::string(inv.client.id);
  }
  if (!inv.responsible_user_id.empty()) {
    f["assignedById"] = value::string(inv.responsible_user_id);
  }
  if (!inv.cancel_date.empty()) {
    f["closedate"] = value::string(inv.cancel_date);
  }
  const value r =
      rest_.Call(tenant_id, "crm.item.add", params, ToCallOptions(options, /*idempotent=*/false));
  std::string id;
  if (r.is_object() && r.has_field("item") && r.at("item").has_field("id")) {
    id = IdOf(r.at("item").at("id"));
  }
  if (id.empty()) {
    throw Internal("the CRM added the invoice but gave no id");
  }
  return id;
}

void Bitrix24Crm::SetInvoiceRows(const std::string& tenant_id, const std::string& invoice_id,
                                 const std::vector<adapters::InvoiceRow>& rows,
                                 const adapters::RequestOptions& options) {
  value params = value::object();
  params["ownerType"] = value::string("SI");
  params["ownerId"] = value::string(invoice_id);
  params["productRows"] = value::array(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    value& row = params["productRows"][i];
    row["productId"] = value::string(rows[i].product_id);
    row["productName"] = value::string(rows[i].name);
    row["price"] = value::string(rows[i].price);
    row["quantity"] = value::number(static_cast<int64_t>(rows[i].quantity));
  }
  rest_.Call(tenant_id, "crm.item.productrow.set", params,
             ToCallOptions(options, /*idempotent=*/true));
}

}  // namespace opdesk::bitrix24
