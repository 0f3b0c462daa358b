#include "connector/http/request_context.h"

#include <utility>

namespace opdesk::http {
namespace {
thread_local std::string current_request_id;
}  // namespace

const std::string& CurrentRequestId() {
  return current_request_id;
}

ScopedRequestId::ScopedRequestId(std::string id)
    : previous_(std::exchange(current_request_id, std::move(id))) {}

ScopedRequestId::~ScopedRequestId() {
  current_request_id = std::move(previous_);
}

}  // namespace opdesk::http
