#include "connector/storage/group_commit.h"

#include <algorithm>

namespace opdesk::storage {

GroupCommit::GroupCommit(Database& db, GroupCommitOptions options) : db_(db), options_(options) {
  options_.lanes = std::max(1, options_.lanes);
  options_.max_batch = std::max(1, options_.max_batch);
}

std::vector<GroupCommit::Piece*> GroupCommit::TakeBatch() {
  std::vector<Piece*> batch;
  while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
    batch.push_back(queue_.front());
    queue_.pop_front();
  }
  return batch;
}

void GroupCommit::Run(const Work& work) {
  Piece mine;
  mine.work = &work;
  std::unique_lock lock(mu_);
  queue_.push_back(&mine);
  if (writing_ < options_.lanes) {
    // A free lane means nobody is queued (a finishing writer hands its lane on at once): the
    // batch is this piece alone.
    ++writing_;
    mine.batch = TakeBatch();
  }
  while (!mine.done) {
    if (mine.batch.empty()) {
      mine.woken.wait(lock);
      if (!mine.done && mine.batch.empty()) {
        ++stats_.idle_wakeups;
      }
      continue;
    }
    const std::vector<Piece*> batch = std::move(mine.batch);
    mine.batch.clear();
    lock.unlock();
    Write(batch);
    lock.lock();
    ++stats_.batches;
    stats_.pieces += static_cast<long long>(batch.size());
    // Notified with mu_ held: a caller woken returns only once it has mu_ again, so its piece
    // (on its stack) outlives the notification.
    for (Piece* p : batch) {
      p->done = true;
      if (p != &mine) {
        p->woken.notify_one();
      }
    }
    if (queue_.empty()) {
      --writing_;
    } else {
      // The lane goes to the oldest queued caller, with its batch.
      Piece* next = queue_.front();
      next->batch = TakeBatch();
      next->woken.notify_one();
    }
  }
  lock.unlock();
  if (mine.error) {
    std::rethrow_exception(mine.error);
  }
}

void GroupCommit::Write(const std::vector<Piece*>& batch) {
  std::optional<WritesFirst> first;
  if (options_.writes_first) {
    first.emplace();
  }
  BatchMemo memo;
  const auto write = options_.single_statement ? WithSession : InTransaction;
  if (batch.size() > 1) {
    try {
      write(db_, [&](Session& s) {
        memo.Clear();  // a deadlock retry reads again
        for (Piece* p : batch) {
          (*p->work)(s, memo);
        }
        memo.RunBeforeCommit(s);
      });
      memo.Committed();
      return;
    } catch (...) {
      memo.Clear();
      // Someone's work failed (or the batch could not commit): each on its own now, so that
      // only the failing piece is refused.
      std::lock_guard lock(mu_);
      ++stats_.replays;
    }
  }
  for (Piece* p : batch) {
    try {
      write(db_, [&](Session& s) {
        memo.Clear();
        (*p->work)(s, memo);
        memo.RunBeforeCommit(s);
      });
      memo.Committed();
    } catch (...) {
      p->error = std::current_exception();
    }
  }
}

GroupCommitStats GroupCommit::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace opdesk::storage
