#include "nm/session.hpp"

#include "nm/dispatch.hpp"
#include "nm/framing.hpp"
#include "util/log.hpp"

namespace epos::nm {

int serve(std::istream& in, std::ostream& out, ops::Context& context) {
    for (;;) {
        const Frame frame = read_frame(in);
        switch (frame.status) {
            case Frame::Status::Message:
                write_frame(out, dispatch(frame.body, context));
                break;
            case Frame::Status::Empty:
                write_frame(out, error_reply(nullptr, "empty_frame", "The message is empty."));
                break;
            case Frame::Status::TooLarge:
                // The body was not read, so the stream is out of step: answer and stop.
                write_frame(out, error_reply(nullptr, "frame_too_large",
                                             "The message is " + std::to_string(frame.length) +
                                                 " bytes; the limit is 1 MiB."));
                log::error("frame of " + std::to_string(frame.length) + " bytes refused");
                return 0;
            case Frame::Status::TruncatedHeader:
            case Frame::Status::TruncatedBody:
                log::error("the input ended inside a frame; stopping");
                return 0;
            case Frame::Status::EndOfStream:
                return 0;
        }
        if (!out) {
            return 0;  // the browser closed our stdout
        }
    }
}

}  // namespace epos::nm
