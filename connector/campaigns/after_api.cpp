// The routes of what follows a dialing task's call (FEATURES F6, F7): e-mail templates
// (managers), a task's default template, and for the operator of a contact the draft, the
// e-mail, the recording upload, the CRM's products and the invoice. docs/API.md «After the call».
#include <cpprest/json.h>

#include "adapters/json_read.h"
#include "connector/campaigns/after_service.h"
#include "connector/campaigns/api.h"
#include "connector/domain/error.h"

namespace opdesk::campaigns {
namespace {

using Json = web::json::value;

long long VersionOf(const http::Request& r) {
  const std::optional<std::string> v = r.QueryParam("version");
  if (!v || v->empty()) {
    throw InvalidArgument("version is required: the version you read", "version");
  }
  return adapters::ParseIdText(*v, "version");
}

Json TemplateJson(const EmailTemplate& t) {
  Json out = Json::object(true);
  out["id"] = Json::string(std::to_string(t.id));
  out["name"] = Json::string(t.name);
  out["subject"] = Json::string(t.subject);
  out["body"] = Json::string(t.body);
  out["version"] = Json::number(static_cast<int64_t>(t.version));
  return out;
}

Json VariablesJson() {
  const auto& vars = EmailTemplateVariables();
  Json out = Json::array(vars.size());
  for (std::size_t i = 0; i < vars.size(); ++i) {
    out[i] = Json::string(vars[i]);
  }
  return out;
}

Json ActionJson(const storage::AfterActionRow& a) {
  Json out = Json::object(true);
  out["key"] = Json::string(a.key);
  out["kind"] = Json::string(a.kind);
  // "rows" (an invoice made, its products being set) is still on the way for the pages.
  out["state"] = Json::string(a.state == "rows" || a.state == "sending" ? "queued" : a.state);
  out["crm_id"] = Json::string(a.kind == "invoice" && a.state != "done" ? "" : a.crm_id);
  out["error"] = Json::string(a.error);
  out["detail"] = a.detail.empty() ? Json::object() : adapters::ParseStored(a.detail);
  out["created_at"] = Json::number(static_cast<int64_t>(a.created_at_ms));
  return out;
}

EmailTemplate TemplateFromBody(const std::string& text, long long* version) {
  const Json body = adapters::ParseBody(text);
  adapters::ObjectReader r(body, "");
  EmailTemplate t;
  t.name = r.String("name", true, kMaxTemplateNameLength);
  t.subject = r.String("subject", true, kMaxSubjectLength);
  t.body = r.String("body", true, kMaxEmailBodyLength);
  *version = r.Int("version", false, 0);
  r.Done();
  return t;
}

http::Response TemplateList(AfterCallService& s, const http::Caller& c) {
  const auto list = s.ListTemplates(CallerOf(c));
  Json arr = Json::array(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    arr[i] = TemplateJson(list[i]);
  }
  Json out = Json::object(true);
  out["templates"] = arr;
  out["variables"] = VariablesJson();
  return http::Response::Json(200, out.serialize());
}

Json DraftJson(const EmailDraft& d) {
  Json out = Json::object(true);
  out["template_id"] = Json::string(d.template_id ? std::to_string(d.template_id) : "");
  out["subject"] = Json::string(d.subject);
  out["body"] = Json::string(d.body);
  out["to"] = Json::string(d.to);
  out["copy_to"] = Json::string(d.copy_to);
  out["email_allowed"] = Json::boolean(d.email_allowed);
  out["crm_supported"] = Json::boolean(d.crm_supported);
  Json templates = Json::array(d.templates.size());
  for (std::size_t i = 0; i < d.templates.size(); ++i) {
    Json t = Json::object(true);
    t["id"] = Json::string(std::to_string(d.templates[i].id));
    t["name"] = Json::string(d.templates[i].name);
    templates[i] = t;
  }
  out["templates"] = templates;
  Json actions = Json::array(d.actions.size());
  for (std::size_t i = 0; i < d.actions.size(); ++i) {
    actions[i] = ActionJson(d.actions[i]);
  }
  out["actions"] = actions;
  return out;
}

http::Response Accepted(const storage::AfterActionRow& a) {
  return http::Response::Json(202, ActionJson(a).serialize());
}

http::Response SendEmail(AfterCallService& s, http::Request& request, const http::Caller& c) {
  const Json body = adapters::ParseBody(request.body);
  adapters::ObjectReader r(body, "");
  EmailRequest e;
  e.request_id = r.String("request_id", true, 64);
  e.to = r.String("to", true, 254);
  e.subject = r.String("subject", true, kMaxSubjectLength);
  e.body = r.String("body", true, kMaxEmailBodyLength);
  e.copy_to_me = r.Bool("copy_to_me", false);
  r.Done();
  return Accepted(
      s.SendEmail(CallerOf(c), PathId(request, "id"), PathId(request, "contact_id"), e));
}

http::Response Upload(AfterCallService& s, http::Request& request, const http::Caller& c) {
  const std::string filename = request.QueryParam("filename").value_or("");
  const std::string request_id = request.QueryParam("request_id").value_or("");
  return Accepted(s.UploadRecording(CallerOf(c), PathId(request, "id"),
                                    PathId(request, "contact_id"), request_id, filename,
                                    request.body));
}

http::Response Products(AfterCallService& s, http::Request& request, const http::Caller& c) {
  long long after = 0;
  if (const auto a = request.QueryParam("after"); a && !a->empty()) {
    after = adapters::ParseIdText(*a, "after");
  }
  const adapters::CrmProductPage page = s.Products(CallerOf(c), PathId(request, "id"), after);
  Json list = Json::array(page.products.size());
  for (std::size_t i = 0; i < page.products.size(); ++i) {
    Json p = Json::object(true);
    p["id"] = Json::string(page.products[i].id);
    p["name"] = Json::string(page.products[i].name);
    p["price"] = Json::string(page.products[i].price);
    p["currency"] = Json::string(page.products[i].currency);
    list[i] = p;
  }
  Json out = Json::object(true);
  out["products"] = list;
  out["next_after"] = page.next >= 0 ? Json::string(std::to_string(page.next)) : Json::null();
  return http::Response::Json(200, out.serialize());
}

http::Response Invoice(AfterCallService& s, http::Request& request, const http::Caller& c) {
  const Json body = adapters::ParseBody(request.body);
  adapters::ObjectReader r(body, "");
  InvoiceRequest inv;
  inv.request_id = r.String("request_id", true, 64);
  inv.cancel_date = r.String("cancel_date", false, 10);
  const Json& lines = r.Array("lines", true, kMaxInvoiceLines);
  r.Done();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string path = adapters::ItemPath("lines", i);
    if (!lines.at(i).is_object()) {
      throw InvalidArgument(path + " is an object", path);
    }
    adapters::ObjectReader lr(lines.at(i), path);
    InvoiceLine line;
    line.product_id = lr.String("product_id", true, 18);
    line.name = lr.String("name", false, 255);
    line.quantity = lr.Int("quantity", true);
    const Json* price = lr.Get("price");
    if (price == nullptr) {
      throw InvalidArgument(path + ".price is required", path + ".price");
    }
    if (price->is_string()) {
      line.price_cents = ParsePriceCents(price->as_string(), path + ".price");
    } else if (price->is_number() && price->as_double() >= 0) {
      // A JSON number: read through its text so 1500.5 is 150050 cents exactly.
      line.price_cents = ParsePriceCents(price->serialize(), path + ".price");
    } else {
      throw InvalidArgument(path + ".price is an amount ≥ 0 with at most two decimals",
                            path + ".price");
    }
    lr.Done();
    inv.lines.push_back(line);
  }
  return Accepted(
      s.CreateInvoice(CallerOf(c), PathId(request, "id"), PathId(request, "contact_id"), inv));
}

}  // namespace

void AddAfterCallRoutes(http::Router& router, AfterCallService& service) {
  using http::Guard;
  AfterCallService* s = &service;
  const http::RouteOptions small{64 * 1024};
  router.Add("GET", "/api/campaign-templates", Guard::kSeat,
             [s](http::Request&, const http::Caller& c) { return TemplateList(*s, c); });
  router.Add(
      "POST", "/api/campaign-templates", Guard::kSettingsManager,
      [s](http::Request& r, const http::Caller& c) {
        long long version = 0;
        const EmailTemplate t = s->CreateTemplate(CallerOf(c), TemplateFromBody(r.body, &version));
        return http::Response::Json(201, TemplateJson(t).serialize());
      },
      small);
  router.Add(
      "PUT", "/api/campaign-templates/{id}", Guard::kSettingsManager,
      [s](http::Request& r, const http::Caller& c) {
        long long version = 0;
        EmailTemplate t = TemplateFromBody(r.body, &version);
        t.id = PathId(r, "id");
        if (version < 1) {
          throw InvalidArgument("version is required: the version you read", "version");
        }
        return http::Response::Json(
            200, TemplateJson(s->UpdateTemplate(CallerOf(c), t, version)).serialize());
      },
      small);
  router.Add("DELETE", "/api/campaign-templates/{id}", Guard::kSettingsManager,
             [s](http::Request& r, const http::Caller& c) {
               s->DeleteTemplate(CallerOf(c), PathId(r, "id"), VersionOf(r));
               return http::Response::Json(204, "");
             });
  router.Add("GET", "/api/campaigns/{id}/email-template", Guard::kSeat,
             [s](http::Request& r, const http::Caller& c) {
               const long long id = s->TaskTemplate(CallerOf(c), PathId(r, "id"));
               Json out = Json::object(true);
               out["template_id"] = Json::string(id ? std::to_string(id) : "");
               return http::Response::Json(200, out.serialize());
             });
  router.Add(
      "PUT", "/api/campaigns/{id}/email-template", Guard::kSettingsManager,
      [s](http::Request& r, const http::Caller& c) {
        const Json body = adapters::ParseBody(r.body);
        adapters::ObjectReader reader(body, "");
        const std::string text = reader.String("template_id", true, 20);
        reader.Done();
        const long long template_id = text.empty() ? 0 : adapters::ParseIdText(text, "template_id");
        s->SetTaskTemplate(CallerOf(c), PathId(r, "id"), template_id);
        Json out = Json::object(true);
        out["template_id"] = Json::string(text);
        return http::Response::Json(200, out.serialize());
      },
      small);
  router.Add("GET", "/api/campaigns/{id}/contacts/{contact_id}/after", Guard::kSeat,
             [s](http::Request& r, const http::Caller& c) {
               long long template_id = 0;
               if (const auto t = r.QueryParam("template_id"); t && !t->empty()) {
                 template_id = adapters::ParseIdText(*t, "template_id");
               }
               return http::Response::Json(
                   200, DraftJson(s->Draft(CallerOf(c), PathId(r, "id"), PathId(r, "contact_id"),
                                           template_id))
                            .serialize());
             });
  router.Add(
      "POST", "/api/campaigns/{id}/contacts/{contact_id}/email", Guard::kSeat,
      [s](http::Request& r, const http::Caller& c) { return SendEmail(*s, r, c); },
      http::RouteOptions{128 * 1024});
  router.Add(
      "POST", "/api/campaigns/{id}/contacts/{contact_id}/recording", Guard::kSeat,
      [s](http::Request& r, const http::Caller& c) { return Upload(*s, r, c); },
      http::RouteOptions{kMaxRecordingBytes});
  router.Add("GET", "/api/campaigns/{id}/products", Guard::kSeat,
             [s](http::Request& r, const http::Caller& c) { return Products(*s, r, c); });
  router.Add(
      "POST", "/api/campaigns/{id}/contacts/{contact_id}/invoice", Guard::kSeat,
      [s](http::Request& r, const http::Caller& c) { return Invoice(*s, r, c); }, small);
}

}  // namespace opdesk::campaigns
