#include "actors/supervision/stop_alone.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <typeinfo>

#include "messages/errors.hpp"
#include "runtime/logging/log.hpp"

namespace baikal {

namespace {

std::string demangled(const std::type_info* type) {
  if (!type)
    return "unknown exception";
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> name{
      abi::__cxa_demangle(type->name(), nullptr, nullptr, &status), &std::free};
  return status == 0 && name ? std::string{name.get()} : std::string{type->name()};
}

/// "TYPE: WHAT" of the exception in `x`.
std::string describe(const std::exception_ptr& x) {
  try {
    std::rethrow_exception(x);
  } catch (const std::exception& e) {
    return demangled(abi::__cxa_current_exception_type()) + ": " + e.what();
  } catch (...) {
    return demangled(abi::__cxa_current_exception_type());
  }
}

} // namespace

caf::error actor_failure(const std::string& name, const std::exception_ptr& x) {
  auto what = describe(x);
  log::get("supervision")->error("{} failed and stops: {}", name, what);
  return make_error(errc::runtime_error, name + " failed: " + what);
}

} // namespace baikal
