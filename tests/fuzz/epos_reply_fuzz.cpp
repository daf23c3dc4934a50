// Fuzz target: the printer's HTTP reply to the ePOS status request, read by the host's own code
// (net::read_http_reply: Boost.Beast's parser, header first, 16 KiB header / 64 KiB body) and
// judged (net::epos_answer). During `inspect` a server on the LAN writes every byte of it.
//
// Input: one control byte, then chunk sizes, then the bytes the server sends.
//   control & 0x0f  n, the number of chunk-size bytes that follow (0: every read gets as much as
//                   it asks for)
//   control & 0x10  the stream ends in a failure (a timeout, a reset) instead of a clean close
//   n bytes         read sizes, each byte + 1 (1..256), used in turn: TLS records and TCP segments
//                   split a reply anywhere, so every partial read and an end in every place is
//                   explored, not only the whole reply in one read.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "net/epos_probe.hpp"
#include "util/failure.hpp"

namespace {

// The server's bytes in memory, handed out in the input's chunk sizes, then EOF (0) or a Failure
// as the connection would report it.
class ChunkedSource : public epos::net::ReplySource {
  public:
    ChunkedSource(std::string_view bytes, std::vector<std::size_t> chunks, bool fail_at_end)
        : bytes_(bytes), chunks_(std::move(chunks)), fail_at_end_(fail_at_end) {}

    std::size_t read_some(char* data, std::size_t size) override {
        EPOS_FUZZ_CHECK(size > 0);
        EPOS_FUZZ_CHECK(!ended_);  // nobody reads again after the end was reported
        if (offset_ == bytes_.size()) {
            ended_ = true;
            if (fail_at_end_) {
                throw epos::Failure("timeout", "The printer did not answer in time.");
            }
            return 0;
        }
        std::size_t n = std::min(size, bytes_.size() - offset_);
        if (!chunks_.empty()) {
            n = std::min(n, chunks_[next_chunk_++ % chunks_.size()]);
        }
        std::memcpy(data, bytes_.data() + offset_, n);
        offset_ += n;
        return n;
    }

  private:
    std::string_view bytes_;
    std::vector<std::size_t> chunks_;
    bool fail_at_end_;
    std::size_t offset_ = 0;
    std::size_t next_chunk_ = 0;
    bool ended_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::size_t chunk_count = std::min<std::size_t>(data[0] & 0x0f, size - 1);
    const bool fail_at_end = (data[0] & 0x10) != 0;
    std::vector<std::size_t> chunks;
    for (std::size_t i = 0; i < chunk_count; ++i) {
        chunks.push_back(std::size_t{data[1 + i]} + 1);
    }
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1 + chunk_count,
                                 size - 1 - chunk_count);

    // No exception may escape: libFuzzer reports an uncaught one as a crash (the host would
    // abort during `inspect`).
    ChunkedSource source(bytes, std::move(chunks), fail_at_end);
    const epos::net::HttpReply reply = epos::net::read_http_reply(source);
    const epos::net::EposAnswer answer = epos::net::epos_answer(reply);

    // The body limit holds for what the parser accepted, whatever the framing (Content-Length,
    // chunked, until EOF) and wherever the reading stopped.
    EPOS_FUZZ_CHECK(reply.body.size() <= epos::net::kMaxReplyBody);
    EPOS_FUZZ_CHECK(reply.body.size() <= bytes.size());
    // A status is three digits once a header was read (Beast refuses others), 0 before.
    EPOS_FUZZ_CHECK(reply.http_status == 0 ||
                    (reply.http_status >= 100 && reply.http_status <= 999));
    EPOS_FUZZ_CHECK(answer.http_status == reply.http_status);
    // A reply whose reading failed is never taken for an ePOS answer, and says why.
    if (!reply.error.empty()) {
        EPOS_FUZZ_CHECK(!answer.is_epos);
        EPOS_FUZZ_CHECK(answer.error == reply.error);
    }
    // An ePOS answer is what the body says, nothing the header or the framing made up.
    if (answer.is_epos) {
        EPOS_FUZZ_CHECK(reply.error.empty());
        EPOS_FUZZ_CHECK(reply.http_status != 0);
        const epos::net::EposAnswer from_body = epos::net::parse_epos_response(reply.body);
        EPOS_FUZZ_CHECK(from_body.is_epos);
        EPOS_FUZZ_CHECK(answer.success == from_body.success);
        EPOS_FUZZ_CHECK(answer.code == from_body.code);
        EPOS_FUZZ_CHECK(answer.status == from_body.status);
        EPOS_FUZZ_CHECK(answer.error.empty());
    } else {
        EPOS_FUZZ_CHECK(!answer.error.empty());
    }
    return 0;
}
