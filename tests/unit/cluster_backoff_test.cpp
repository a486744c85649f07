#include <doctest/doctest.h>

#include "actors/agent/reconnect_backoff.hpp"

using namespace baikal;
using std::chrono::milliseconds;

TEST_CASE("cluster: backoff doubles from the initial delay at the nominal point") {
  backoff_policy p; // 500 ms, x2, cap 10 s, jitter 20 %
  CHECK(backoff_delay(p, 0, 0.5) == milliseconds{500});
  CHECK(backoff_delay(p, 1, 0.5) == milliseconds{1000});
  CHECK(backoff_delay(p, 2, 0.5) == milliseconds{2000});
  CHECK(backoff_delay(p, 4, 0.5) == milliseconds{8000});
}

TEST_CASE("cluster: backoff stops growing at the cap, even after very many failures") {
  backoff_policy p;
  CHECK(backoff_delay(p, 5, 0.5) == milliseconds{10000});
  CHECK(backoff_delay(p, 60, 0.5) == milliseconds{10000});
  CHECK(backoff_delay(p, 4000000000u, 0.5) == milliseconds{10000});
}

TEST_CASE("cluster: backoff jitter spreads the delay by the configured fraction either way") {
  backoff_policy p;
  CHECK(backoff_delay(p, 1, 0.0) == milliseconds{800});
  CHECK(backoff_delay(p, 1, 1.0) == milliseconds{1200});
  CHECK(backoff_delay(p, 60, 1.0) == milliseconds{12000});
  for (double u = 0.0; u < 1.0; u += 0.05) {
    auto d = backoff_delay(p, 3, u);
    CHECK(d >= milliseconds{3200});
    CHECK(d <= milliseconds{4800});
  }
}

TEST_CASE("cluster: backoff without jitter is exact, out-of-range inputs are clamped") {
  backoff_policy p;
  p.initial = milliseconds{100};
  p.cap = milliseconds{1000};
  p.factor = 3;
  p.jitter = 0;
  CHECK(backoff_delay(p, 0, 0.9) == milliseconds{100});
  CHECK(backoff_delay(p, 2, 0.1) == milliseconds{900});
  CHECK(backoff_delay(p, 3, 0.1) == milliseconds{1000});
  p.jitter = 0.5;
  CHECK(backoff_delay(p, 0, -3.0) == milliseconds{50});
  CHECK(backoff_delay(p, 0, 7.0) == milliseconds{150});
  p.initial = milliseconds{0};
  CHECK(backoff_delay(p, 0, 0.0) == milliseconds{1});
}
