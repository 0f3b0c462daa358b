#include "connector/storage/writer_turn.h"

namespace opdesk::storage {
namespace {

thread_local bool writes_first = false;

}  // namespace

WritesFirst::WritesFirst() : outer_(!writes_first) {
  writes_first = true;
}

WritesFirst::~WritesFirst() {
  if (outer_) {
    writes_first = false;
  }
}

bool WritesFirst::Here() {
  return writes_first;
}

bool WriterTurn::try_lock_for(std::chrono::steady_clock::duration wait) {
  const bool first = writes_first;
  std::unique_lock lock(mu_);
  bool got = false;
  if (first) {
    ++first_waiting_;
    // One that gives up leaves with the turn still held (else it would have taken it): the
    // holder's hand-on wakes the others.
    got = first_cv_.wait_for(lock, wait, [&] { return !held_; });
    --first_waiting_;
  } else {
    ++rest_waiting_;
    got = rest_cv_.wait_for(lock, wait, [&] { return !held_ && first_waiting_ == 0; });
    --rest_waiting_;
  }
  if (got) {
    held_ = true;
  }
  return got;
}

void WriterTurn::unlock() {
  std::lock_guard lock(mu_);
  held_ = false;
  // Every hand-on wakes one waiter, who takes the turn unless a writer that did not wait took it
  // first; that writer's own hand-on then wakes the next one.
  if (first_waiting_ > 0) {
    first_cv_.notify_one();
  } else {
    rest_cv_.notify_one();
  }
}

WriterTurn::Waiting WriterTurn::waiting() const {
  std::lock_guard lock(mu_);
  return {first_waiting_, rest_waiting_};
}

}  // namespace opdesk::storage
