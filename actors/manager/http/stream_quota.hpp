#pragma once

/// How many event streams each user holds open, bounded per user: a place is taken when a
/// stream opens and given back when the token for it is dropped (when the stream's actor
/// ends), so a stream that ends in any way frees its place.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace baikal {

class stream_quota {
public:
  explicit stream_quota(uint32_t per_user) : per_user_(per_user) {}

  /// A token holding one of `user`'s places, or null when the user holds them all already.
  std::shared_ptr<void> take(const std::string& user);

  /// The places `user` holds now.
  uint32_t held(const std::string& user) const;

  uint32_t per_user() const { return per_user_; }

  /// Why a user who holds every place is refused; `kinds` names what the places hold
  /// ("event streams").
  std::string refusal(const std::string& kinds) const {
    return "this user already has " + std::to_string(per_user_) + " " + kinds +
           " open, the most api.max-event-streams-per-user allows; close one first";
  }

private:
  struct shared {
    std::mutex mtx;
    std::map<std::string, uint32_t> held;
  };

  struct place {
    place(std::shared_ptr<shared> s, std::string u) : state(std::move(s)), user(std::move(u)) {}
    ~place();
    std::shared_ptr<shared> state;
    std::string user;
  };

  uint32_t per_user_;
  std::shared_ptr<shared> state_ = std::make_shared<shared>();
};

} // namespace baikal
