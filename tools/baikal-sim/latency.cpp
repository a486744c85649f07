#include "tools/baikal-sim/latency.hpp"

#include "messages/errors.hpp"
#include "runtime/checks/numbers.hpp"

namespace baikal::sim {

std::chrono::microseconds latency::draw(std::mt19937_64& rng) const {
  double ms = a;
  if (shape == kind::uniform)
    ms = std::uniform_real_distribution<double>{a, b}(rng);
  else if (shape == kind::exponential)
    ms = std::exponential_distribution<double>{1.0 / a}(rng);
  return std::chrono::microseconds{static_cast<int64_t>(ms * 1000)};
}

caf::expected<latency> parse_latency(const std::string& text) {
  auto bad = [&] {
    return make_error(errc::invalid_argument,
                      "latency '" + text + "': expected MS, uniform:A-B or exp:MEAN");
  };
  auto number = [](const std::string& t) { return checks::parse_number(t); };
  latency out;
  if (text.rfind("uniform:", 0) == 0) {
    auto rest = text.substr(8);
    auto dash = rest.find('-');
    if (dash == std::string::npos)
      return bad();
    auto a = number(rest.substr(0, dash));
    auto b = number(rest.substr(dash + 1));
    if (!a || !b || *b < *a)
      return bad();
    out.shape = latency::kind::uniform;
    out.a = *a;
    out.b = *b;
  } else if (text.rfind("exp:", 0) == 0) {
    auto mean = number(text.substr(4));
    if (!mean || *mean <= 0)
      return bad();
    out.shape = latency::kind::exponential;
    out.a = *mean;
  } else {
    auto ms = number(text);
    if (!ms)
      return bad();
    out.a = *ms;
  }
  return out;
}

std::string to_string(const latency& x) {
  switch (x.shape) {
  case latency::kind::uniform:
    return "uniform:" + std::to_string(x.a) + "-" + std::to_string(x.b);
  case latency::kind::exponential:
    return "exp:" + std::to_string(x.a);
  default:
    return std::to_string(x.a);
  }
}

} // namespace baikal::sim
