#include "nm/framing.hpp"

#include <cstring>
#include <stdexcept>

namespace epos::nm {
namespace {

// Reads up to `size` bytes, looping over short reads; returns how many arrived before EOF.
std::size_t read_fully(std::istream& in, char* buffer, std::size_t size) {
    std::size_t done = 0;
    while (done < size && in) {
        in.read(buffer + done, static_cast<std::streamsize>(size - done));
        done += static_cast<std::size_t>(in.gcount());
    }
    return done;
}

}  // namespace

Frame read_frame(std::istream& in) {
    Frame frame;
    char header[sizeof(std::uint32_t)];
    const std::size_t got = read_fully(in, header, sizeof header);
    if (got == 0) {
        frame.status = Frame::Status::EndOfStream;
        return frame;
    }
    if (got < sizeof header) {
        frame.status = Frame::Status::TruncatedHeader;
        return frame;
    }
    std::memcpy(&frame.length, header, sizeof header);  // native byte order, by definition
    if (frame.length == 0) {
        frame.status = Frame::Status::Empty;
        return frame;
    }
    if (frame.length > kMaxFrame) {
        frame.status = Frame::Status::TooLarge;
        return frame;
    }
    frame.body.resize(frame.length);
    const std::size_t body = read_fully(in, frame.body.data(), frame.length);
    if (body < frame.length) {
        frame.body.resize(body);
        frame.status = Frame::Status::TruncatedBody;
        return frame;
    }
    frame.status = Frame::Status::Message;
    return frame;
}

void write_frame(std::ostream& out, std::string_view body) {
    if (body.size() > kMaxFrame) {
        throw std::length_error("native messaging reply over 1 MiB");
    }
    const auto length = static_cast<std::uint32_t>(body.size());
    char header[sizeof length];
    std::memcpy(header, &length, sizeof length);
    out.write(header, sizeof header);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    out.flush();
}

}  // namespace epos::nm
