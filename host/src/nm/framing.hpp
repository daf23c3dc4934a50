#pragma once

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>

namespace epos::nm {

// Native messaging frames (docs/browser-behaviour.md §4; developer.chrome.com "Native messaging"):
// a 32-bit length in the machine's byte order, then UTF-8 JSON. Browsers refuse a host-to-browser
// message over 1 MiB; we hold the browser-to-host direction to the same bound, which is far above
// anything the extension sends.
inline constexpr std::uint32_t kMaxFrame = 1024 * 1024;

struct Frame {
    enum class Status {
        Message,          // body holds one message
        EndOfStream,      // clean EOF between frames: the browser closed the port
        TruncatedHeader,  // EOF inside the 4-byte length
        TruncatedBody,    // EOF before `length` bytes of body
        TooLarge,         // length > kMaxFrame (nothing of the body was read)
        Empty,            // length == 0
    };
    Status status = Status::EndOfStream;
    std::uint32_t length = 0;
    std::string body;
};

// Reads one frame. Short reads (a pipe delivering a few bytes at a time) are completed.
Frame read_frame(std::istream& in);

// Writes one frame and flushes. Throws std::length_error for a body over kMaxFrame (callers
// must never get there: see dispatch's reply_too_large).
void write_frame(std::ostream& out, std::string_view body);

}  // namespace epos::nm
