#include "connector/reception/codec.h"

#include <cpprest/json.h>

#include "adapters/json_read.h"
#include "connector/domain/error.h"

namespace opdesk::reception {
namespace {

using Json = web::json::value;
using adapters::ItemPath;
using adapters::ObjectReader;

Json Strings(const std::vector<std::string>& items) {
  Json a = Json::array(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    a[i] = Json::string(items[i]);
  }
  return a;
}

std::vector<std::string> StringsFrom(const Json& array, const std::string& path) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < array.as_array().size(); ++i) {
    const Json& v = array.as_array().at(i);
    if (!v.is_string()) {
      throw InvalidArgument(ItemPath(path, i) + " must be a string", ItemPath(path, i));
    }
    out.push_back(v.as_string());
  }
  return out;
}

ReceptionSettings FromJson(const Json& body, long long* version) {
  ObjectReader r(body, "");
  if (version != nullptr) {
    *version = r.Int("version", true);
  }
  ReceptionSettings s;
  const Json& types = r.Array("service_types", false, kMaxServiceTypes);
  for (std::size_t i = 0; types.is_array() && i < types.as_array().size(); ++i) {
    const std::string path = ItemPath("service_types", i);
    const Json& item = types.as_array().at(i);
    if (!item.is_object()) {
      throw InvalidArgument(path + " must be an object", path);
    }
    ObjectReader t(item, path);
    ServiceType type;
    type.id = t.String("id", true, 64);
    type.name = t.String("name", true, 200);
    t.Done();
    s.service_types.push_back(std::move(type));
  }
  const Json& departments = r.Array("departments", false, kMaxDepartments);
  for (std::size_t i = 0; departments.is_array() && i < departments.as_array().size(); ++i) {
    const std::string path = ItemPath("departments", i);
    const Json& item = departments.as_array().at(i);
    if (!item.is_object()) {
      throw InvalidArgument(path + " must be an object", path);
    }
    ObjectReader d(item, path);
    DepartmentSetup dep;
    dep.department_id = d.String("department_id", true, 32);
    dep.service_type_ids = StringsFrom(d.Array("service_type_ids", false, kMaxServiceTypes),
                                       path + ".service_type_ids");
    dep.all_users = d.Bool("all_users", true);
    dep.manager_ids = StringsFrom(d.Array("manager_ids", false, kMaxManagersPerDepartment),
                                  path + ".manager_ids");
    d.Done();
    s.departments.push_back(std::move(dep));
  }
  const std::string target = r.String("inquiry_target", false, 16);
  if (!target.empty()) {
    const auto t = InquiryTargetFrom(target);
    if (!t) {
      throw InvalidArgument("inquiry_target is \"lead\" or \"deal\"", "inquiry_target");
    }
    s.inquiry_target = *t;
  }
  const std::string method = r.String("transfer_method", false, 16);
  if (!method.empty()) {
    const auto m = TransferMethodFrom(method);
    if (!m) {
      throw InvalidArgument("transfer_method is \"blind\" or \"hold\"", "transfer_method");
    }
    s.transfer_method = *m;
  }
  r.Done();
  return s;
}

}  // namespace

std::string EncodeSettings(const ReceptionSettings& s) {
  Json out = Json::object(true);
  out["version"] = Json::number(static_cast<int64_t>(s.version));
  Json types = Json::array(s.service_types.size());
  for (std::size_t i = 0; i < s.service_types.size(); ++i) {
    Json t = Json::object(true);
    t["id"] = Json::string(s.service_types[i].id);
    t["name"] = Json::string(s.service_types[i].name);
    types[i] = t;
  }
  out["service_types"] = types;
  Json departments = Json::array(s.departments.size());
  for (std::size_t i = 0; i < s.departments.size(); ++i) {
    const DepartmentSetup& d = s.departments[i];
    Json j = Json::object(true);
    j["department_id"] = Json::string(d.department_id);
    j["service_type_ids"] = Strings(d.service_type_ids);
    j["all_users"] = Json::boolean(d.all_users);
    j["manager_ids"] = Strings(d.manager_ids);
    departments[i] = j;
  }
  out["departments"] = departments;
  out["inquiry_target"] = Json::string(ToString(s.inquiry_target));
  out["transfer_method"] = Json::string(ToString(s.transfer_method));
  return out.serialize();
}

ReceptionSettings DecodeStoredSettings(const std::string& json) {
  const Json stored = adapters::ParseStored(json);
  long long ignored = 0;
  try {
    return FromJson(stored, &ignored);
  } catch (const Error& e) {
    throw Internal("stored reception settings do not read back: " + std::string(e.what()));
  }
}

ReceptionSettings SettingsFromBody(const std::string& body, long long* version) {
  return FromJson(adapters::ParseBody(body), version);
}

}  // namespace opdesk::reception
