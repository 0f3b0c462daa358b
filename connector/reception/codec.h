// JSON of the reception settings: the API's body and reply and the stored document are the same
// object (docs/API.md, "Reception"). Readers are strict: unknown fields are refused and errors
// name the field.
#pragma once

#include <string>

#include "connector/domain/reception.h"

namespace opdesk::reception {

std::string EncodeSettings(const ReceptionSettings& settings);  // with "version"
// A stored document; version is not read from it.
ReceptionSettings DecodeStoredSettings(const std::string& json);
// A PUT body: every field and `version` (required; 0 when nothing was stored).
ReceptionSettings SettingsFromBody(const std::string& body, long long* version);

}  // namespace opdesk::reception
