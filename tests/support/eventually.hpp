#pragma once

/// Waits for a condition with a deadline instead of a fixed sleep: events and container state
/// arrive asynchronously.

#include <chrono>
#include <thread>

namespace baikal::test {

/// Polls `pred` every 50 ms until it holds or `limit` passes; answers its last value.
/// The limit is generous: a pull from the registry on a loaded machine takes seconds.
template <class Pred>
bool eventually(Pred pred, std::chrono::seconds limit = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

} // namespace baikal::test
