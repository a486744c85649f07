// baikalctl cp's progress line: bytes, bar, percentage, rate and time left.

#include <doctest/doctest.h>

#include "tools/baikalctl/transfer_progress.hpp"

using namespace baikal::ctl;

TEST_CASE("ctl transfer progress: the line shows what is known") {
  CHECK(transfer_line("upload x.bin", 12 << 20, 48 << 20, 3.0, 8) ==
        "upload x.bin [##......] 12.0 MiB / 48.0 MiB 25% 4.0 MiB/s ETA 9s");
  CHECK(transfer_line("download y", 512, 0, 0.0, 4) == "download y [....] 512 B");
  CHECK(transfer_line("d", 2048, 2048, 2.0, 4) == "d [####] 2.0 KiB / 2.0 KiB 100% 1.0 KiB/s");
  CHECK(format_duration(9.4) == "9s");
  CHECK(format_duration(125) == "2m05s");
  CHECK(format_duration(3720) == "1h02m");
}
