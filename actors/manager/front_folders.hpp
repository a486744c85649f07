#pragma once

/// The manager front's storage folder operations (manager_front.cpp includes this alone):
/// `POST/GET/DELETE /v1/folders`. The folder book (folder_book.hpp) answers at once what it
/// can; making and removing directories run on the front's blocking executor, so the front's
/// thread never waits for the file system. Deleting a folder that a live session of its owner
/// mounts is a conflict naming the session.
///
/// The front's state provides `folders` (folder_book), `blocking` (the executor),
/// `sessions` (session_table) and `settings.storage_root`.

#include <caf/result.hpp>

#include "actors/manager/folder_book.hpp"
#include "actors/supervision/blocking_task.hpp"
#include "messages/errors.hpp"
#include "runtime/checks/folder_checks.hpp"
#include "runtime/paths/storage_folders.hpp"

namespace baikal::front_folders {

/// A manager without `[storage] root` has no folders to offer.
inline caf::error no_storage() {
  return make_error(errc::unavailable, "this manager has no [storage] root in its manager.toml, "
                                       "so it keeps no storage folders");
}

template <class Self> caf::result<folder_info> create(Self* self, const api::create_folder& x) {
  auto& st = self->state;
  if (st.settings.storage_root.empty())
    return no_storage();
  if (auto err = checks::check_folder_name("name", x.name))
    return err;
  if (auto err = st.folders.reserve(x.owner, x.name))
    return err;
  auto rp = make_guarded_promise<folder_info>(self);
  run_blocking_then<bool>(
      self, [root = st.settings.storage_root, x] { return make_folder_dir(root, x.owner, x.name); },
      [self, rp, x](bool) mutable {
        self->state.folders.made(x.owner, x.name);
        rp.deliver(folder_info{x.name});
      },
      [self, rp, x](caf::error& err) mutable {
        self->state.folders.unreserve(x.owner, x.name);
        rp.deliver(std::move(err));
      });
  return rp;
}

template <class Self>
caf::result<std::vector<folder_info>> list(Self* self, const api::list_folders& x) {
  if (self->state.settings.storage_root.empty())
    return no_storage();
  return self->state.folders.folders_of(x.owner);
}

template <class Self> caf::result<ack> remove(Self* self, const api::delete_folder& x) {
  auto& st = self->state;
  auto& root = st.settings.storage_root;
  if (root.empty())
    return no_storage();
  // Absent (another user's folder is as unknown as none: the book is keyed by owner) or
  // being made or removed: begin_removal refuses it, with the reason.
  if (!st.folders.has(x.owner, x.name))
    return st.folders.begin_removal(x.owner, x.name);
  if (auto user = live_session_mounting(st.sessions, folder_host_path(root, x.owner, x.name)))
    return folder_in_use(x.name, *user);
  if (auto err = st.folders.begin_removal(x.owner, x.name))
    return err;
  auto rp = make_guarded_promise<ack>(self);
  run_blocking_then<bool>(
      self, [root, x] { return remove_folder_dir(root, x.owner, x.name); },
      [self, rp, x](bool) mutable {
        self->state.folders.removed(x.owner, x.name);
        rp.deliver(ack{});
      },
      [self, rp, x](caf::error& err) mutable {
        self->state.folders.removal_failed(x.owner, x.name);
        rp.deliver(std::move(err));
      });
  return rp;
}

} // namespace baikal::front_folders
