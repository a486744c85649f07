#include "actors/manager/session_census.hpp"

namespace baikal {

void session_census::moved(caf::optional<session_status> from, session_status to) {
  if (from == to)
    return;
  if (from)
    counts_[index(*from)].fetch_sub(1, std::memory_order_relaxed);
  counts_[index(to)].fetch_add(1, std::memory_order_relaxed);
}

uint64_t session_census::count(session_status status) const {
  auto n = counts_[index(status)].load(std::memory_order_relaxed);
  // A move counted by an actor before the front counted the session new reads as -1 for a
  // moment; a gauge shows 0 then.
  return n > 0 ? static_cast<uint64_t>(n) : 0;
}

namespace {

/// The classes of statuses the front tells apart.
enum class front_view { pending, bound, may_run, running, terminating, terminated, error };

front_view view_of(session_status s) {
  switch (s) {
  case session_status::pending:
    return front_view::pending;
  case session_status::scheduled:
  case session_status::preparing:
  case session_status::pulling:
    return front_view::bound;
  case session_status::prepared:
  case session_status::creating:
    return front_view::may_run;
  case session_status::running:
    return front_view::running;
  case session_status::terminating:
    return front_view::terminating;
  case session_status::terminated:
    return front_view::terminated;
  case session_status::error:
    return front_view::error;
  }
  return front_view::error;
}

} // namespace

bool front_view_changed(session_status from, session_status to) {
  return view_of(from) != view_of(to);
}

std::string front_status_text(session_status status) {
  auto v = view_of(status);
  if (v == front_view::bound || v == front_view::may_run)
    return "starting";
  return to_string(status);
}

} // namespace baikal
