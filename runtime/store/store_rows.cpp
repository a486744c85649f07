#include "runtime/store/store_rows.hpp"

namespace baikal {

namespace {

template <class Enum>
caf::expected<Enum> known(caf::optional<Enum> value, const char* what, const std::string& text) {
  if (!value)
    return make_error(errc::runtime_error, std::string{"the store holds "} + what + " \"" + text +
                                               "\" it does not know");
  return *value;
}

} // namespace

caf::expected<session_status> session_status_column(const stmt& s, int col) {
  auto text = s.text(col);
  return known(session_status_from(text), "a session status", text);
}

caf::expected<agent_record> agent_row(const stmt& s) {
  auto text = s.text(2);
  auto status = known(agent_status_from(text), "an agent status", text);
  if (!status)
    return status.error();
  agent_record a{s.text(0), s.text(1), *status, s.text(3), {}, s.integer(5), {}};
  if (auto err = decode(s.blob(4), a.capacity))
    return err;
  return a;
}

caf::expected<kernel_record> kernel_row(const stmt& s) {
  auto role_text = s.text(2);
  auto role = known(cluster_role_from(role_text), "a cluster role", role_text);
  if (!role)
    return role.error();
  auto status_text = s.text(5);
  auto status = known(kernel_status_from(status_text), "a kernel status", status_text);
  if (!status)
    return status.error();
  return kernel_record{s.text(0), s.text(1), *role,    static_cast<uint32_t>(s.integer(3)),
                       s.text(4), *status,   s.text(6)};
}

caf::expected<status_change> status_change_row(const stmt& s) {
  auto status = session_status_column(s, 0);
  if (!status)
    return status.error();
  return status_change{*status, s.text(1), s.integer(2)};
}

} // namespace baikal
