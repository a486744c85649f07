#pragma once

/// list_files: the entries of a directory inside a kernel's work directory, in the shape the
/// reference agent answers (a JSON array in text, errors as text, the path echoed back).

#include <sys/types.h>

#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "messages/execution_types.hpp"
#include "runtime/paths/confined_path.hpp"

namespace baikal {

/// "-rw-r--r--" style text of a st_mode, as Python's stat.filemode writes it.
std::string file_mode_text(mode_t mode);

/// The entries of the directory `fd` (not "." and ".."), sorted by name; links are described,
/// not followed, so nothing outside the work directory is even stat'ed.
std::vector<file_entry> read_directory_entries(int fd);

/// The entries as the JSON array text of list_files: filename, type, size, mode, mtime.
std::string to_files_json(const std::vector<file_entry>& entries);

/// Answers list_files for `user_path`. A path leading out of /home/work is an error
/// (permission_denied); any other failure (missing path, not a directory) is reported in
/// `errors` with `files` empty, as the reference agent reports its script's stderr.
caf::expected<file_listing> list_directory(const work_dir& dir, const std::string& user_path);

} // namespace baikal
