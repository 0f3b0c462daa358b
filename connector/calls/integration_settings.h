// The tenant's integration settings as the calls read them, and their JSON form: what is stored
// (lenient reading, so settings saved by an older opdesk keep their meaning and new fields take
// their defaults) and what the settings API takes (strict: every field typed, unknown fields
// refused, values validated, errors naming the field).
#pragma once

#include <string>

#include "connector/domain/integration_settings.h"
#include "connector/storage/database.h"

namespace opdesk::mango {

// The settings as a JSON object, without the version.
std::string EncodeIntegrationSettings(const IntegrationSettings& settings);
// The tenant's settings, or the defaults when none were saved.
IntegrationSettings LoadIntegrationSettings(storage::Session& s, const std::string& tenant_id);
// Reads stored settings; absent or unreadable fields keep their defaults.
IntegrationSettings DecodeIntegrationSettings(const std::string& json);
// The API's answer: the settings and their version.
std::string IntegrationSettingsReply(const IntegrationSettings& settings);
// A PUT body: the whole settings object plus "version" (the one read, 0 for none). Throws
// InvalidArgument naming the field.
IntegrationSettings ParseIntegrationSettingsBody(const std::string& body, long long* version);

}  // namespace opdesk::mango
