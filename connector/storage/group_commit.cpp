#include "connector/storage/group_commit.h"

#include <algorithm>

namespace opdesk::storage {

GroupCommit::GroupCommit(Database& db, GroupCommitOptions options) : db_(db), options_(options) {
  options_.lanes = std::max(1, options_.lanes);
  options_.max_batch = std::max(1, options_.max_batch);
}

void GroupCommit::Run(const Work& work) {
  Piece mine;
  mine.work = &work;
  std::unique_lock lock(mu_);
  queue_.push_back(&mine);
  while (!mine.done) {
    if (writing_ < options_.lanes && !queue_.empty()) {
      // A free lane: write what is queued, ours or not; ours may be in a batch another caller
      // took, then we wait for that one below.
      std::vector<Piece*> batch;
      while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      ++writing_;
      lock.unlock();
      Write(batch);
      lock.lock();
      --writing_;
      ++stats_.batches;
      stats_.pieces += static_cast<long long>(batch.size());
      for (Piece* p : batch) {
        p->done = true;
      }
      done_cv_.notify_all();
      continue;
    }
    done_cv_.wait(lock);
  }
  lock.unlock();
  if (mine.error) {
    std::rethrow_exception(mine.error);
  }
}

void GroupCommit::Write(const std::vector<Piece*>& batch) {
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
