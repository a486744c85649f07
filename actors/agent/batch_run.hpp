#pragma once

/// A batch session's startup command as the agent follows it: the kernel's runner answers a
/// long run in rounds ("continued"), so the output is gathered round by round, bounded to its
/// tail, until the run ends.

#include <string>
#include <vector>

#include <caf/optional.hpp>

#include "messages/events.hpp"
#include "messages/execution_types.hpp"

namespace baikal {

/// Appends the console of one round (stdout and stderr as produced) to `out`, keeping only
/// its last `max_bytes`.
void append_batch_output(std::string& out, const std::vector<console_item>& console,
                         size_t max_bytes = max_batch_output_bytes);

/// How a round with runner status `status` ends the run: finished ("finished"), timeout
/// ("exec-timeout"), none when the run goes on ("continued", "waiting-input"), failed for
/// anything else.
caf::optional<batch_outcome> batch_outcome_of(const std::string& status);

} // namespace baikal
