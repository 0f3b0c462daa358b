#include "tests/support/scratch_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "tests/support/test_database.h"

namespace opdesk::testing {

ScratchDir::ScratchDir(const std::string& prefix) : path_(MakeTempDir(prefix)) {}

ScratchDir::~ScratchDir() {
  if (::testing::Test::HasFailure()) {
    std::cerr << "kept for inspection: " << path_ << "\n";
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace opdesk::testing
