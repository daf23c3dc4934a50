#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

// Small file helpers for the state epos-trust keeps (the journal, the browsers' manifests), with
// one implementation per system behind this header (store/posix/files.cpp,
// store/windows/files.cpp), chosen in host/CMakeLists.txt. They throw std::system_error carrying
// the system's own error code; the callers turn it into the protocol's code for their file.
namespace epos::store::files {

// Where a user's application state lives, persistent but not worth a backup: Linux and macOS
// ${XDG_STATE_HOME:-~/.local/state} (XDG base directories; a relative XDG_STATE_HOME is
// ignored, as the specification says), Windows %LOCALAPPDATA% (else %USERPROFILE%\AppData\Local).
std::filesystem::path user_state_folder();

// An exclusive lock on the file `path` (created if missing), held for this object's life. It
// waits while another holder, in this process or another, has it (flock / LockFileEx). The file
// is never deleted: deleting it would let two holders lock two different files.
class ExclusiveLock {
  public:
    explicit ExclusiveLock(const std::filesystem::path& path);
    ~ExclusiveLock();
    ExclusiveLock(const ExclusiveLock&) = delete;
    ExclusiveLock& operator=(const ExclusiveLock&) = delete;

  private:
    std::intptr_t handle_;  // a file descriptor, or a Windows HANDLE
};

// Who may read the file replace_atomically writes (POSIX permissions; Windows files inherit
// their folder's ACL).
enum class Readers { OwnerOnly, Everyone };

// Replaces `target` with `bytes` so that a reader, a crash or a power cut finds the old file or
// the new one, never a torn one: written to a temporary file in the same folder, flushed to the
// disk, renamed over `target` (MoveFileEx with MOVEFILE_WRITE_THROUGH on Windows), then the
// folder flushed on POSIX so that the rename itself survives a power cut. On failure the
// temporary file is removed and `target` is as it was. The folder must exist.
// `before_rename` is for tests: it runs once the temporary file is on the disk, where a crash
// must leave the old file.
void replace_atomically(const std::filesystem::path& target, std::string_view bytes,
                        Readers readers, const std::function<void()>& before_rename = {});

// The whole file; nullopt when it does not exist. On Windows the file is opened sharing
// everything and, while replace_atomically swaps it, retried for a moment: a reader must
// neither fail nor make the writer fail.
std::optional<std::string> read_whole(const std::filesystem::path& file);

}  // namespace epos::store::files
