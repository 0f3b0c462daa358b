// Script import (POST /api/settings/scripts/import): the body is parsed and read by the settings
// codec (ImportFromJson), then checked by the domain rules the service applies before it touches
// the database (ValidateScriptHeader, ValidateDraft; CopyName picks the stored name). Input: the
// request body. An import that passes must also export and import back unchanged, and the name
// it is stored under must be free and valid.
#include <cpprest/json.h>
#include <set>
#include <string>

#include "connector/domain/error.h"
#include "connector/domain/scripts.h"
#include "connector/settings/codec.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace opdesk;
using namespace opdesk::settings;

bool SameFields(const std::vector<FieldRef>& a, const std::vector<FieldRef>& b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].entity != b[i].entity || a[i].code != b[i].code || a[i].editable != b[i].editable) {
      return false;
    }
  }
  return true;
}

bool SameScript(const ImportedScript& a, const ImportedScript& b) {
  if (a.name != b.name || a.description != b.description ||
      a.graph.start_step != b.graph.start_step || a.graph.steps.size() != b.graph.steps.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.graph.steps.size(); ++i) {
    const ScriptStep& s = a.graph.steps[i];
    const ScriptStep& t = b.graph.steps[i];
    if (s.id != t.id || s.title != t.title || s.hint != t.hint || s.x != t.x || s.y != t.y ||
        !SameFields(s.fields, t.fields) || s.next != t.next) {
      return false;
    }
  }
  return true;
}

bool ValidHeader(const std::string& name, const std::string& description) {
  try {
    ValidateScriptHeader(name, description);
    return true;
  } catch (const Error&) {
    return false;
  }
}

void CheckAccepted(const ImportedScript& in) {
  const std::string exported = ExportJson(in.name, in.description, in.graph).serialize();
  const ImportedScript again = ImportFromJson(ParseBody(exported));
  FUZZ_CHECK(SameScript(in, again));

  std::set<std::string> taken = {in.name};
  const std::string copy = CopyName(in.name, taken);
  FUZZ_CHECK(!taken.count(copy));
  FUZZ_CHECK(ValidHeader(copy, in.description));
  taken.insert(copy);
  const std::string second = CopyName(in.name, taken);
  FUZZ_CHECK(!taken.count(second));
  FUZZ_CHECK(ValidHeader(second, in.description));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const ImportedScript in = ImportFromJson(ParseBody(std::string(fuzz::AsText(data, size))));
    ValidateScriptHeader(in.name, in.description);
    ValidateDraft(in.graph, "steps");
    CheckAccepted(in);
    ValidateForPublish(in.graph, "steps");
  } catch (const Error&) {
  }
  return 0;
}
