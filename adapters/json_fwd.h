// cpprestsdk's JSON value, declared only: a project header that passes JSON by reference or
// returns it includes this instead of cpprestsdk's json.h, so only the .cpp files that use a value
// pay for cpprestsdk's headers (they include cpprestsdk's json.h themselves).
#pragma once

namespace web::json {
class value;
}  // namespace web::json
