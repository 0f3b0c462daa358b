// cpprestsdk's JSON value, declared only: a project header that passes JSON by reference or
// returns it includes this instead of <cpprest/json.h>, so only the .cpp files that use a value
// pay for cpprestsdk's headers (they include <cpprest/json.h> themselves).
#pragma once

namespace web::json {
class value;
}  // namespace web::json
