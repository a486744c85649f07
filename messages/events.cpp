#include "messages/events.hpp"

namespace baikal {

std::string to_string(image_pull_event::phase x) {
  switch (x) {
  case image_pull_event::phase::started:
    return "ImagePullStartedEvent";
  case image_pull_event::phase::progress:
    return "ImagePullProgressEvent";
  case image_pull_event::phase::finished:
    return "ImagePullFinishedEvent";
  case image_pull_event::phase::failed:
    return "ImagePullFailedEvent";
  }
  return "ImagePullEvent";
}

std::string to_string(execution_event::phase x) {
  switch (x) {
  case execution_event::phase::started:
    return "ExecutionStartedEvent";
  case execution_event::phase::finished:
    return "ExecutionFinishedEvent";
  case execution_event::phase::timeout:
    return "ExecutionTimeoutEvent";
  case execution_event::phase::cancelled:
    return "ExecutionCancelledEvent";
  }
  return "ExecutionEvent";
}

std::string to_string(batch_outcome x) {
  switch (x) {
  case batch_outcome::finished:
    return "finished";
  case batch_outcome::timeout:
    return "timeout";
  case batch_outcome::failed:
    return "failed";
  }
  return "failed";
}

} // namespace baikal
