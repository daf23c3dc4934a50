#include "nm/framing.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <sstream>
#include <streambuf>

namespace epos::nm {
namespace {

std::string header(std::uint32_t length) {
    std::string h(4, '\0');
    std::memcpy(h.data(), &length, 4);
    return h;
}

// A stream that hands out at most one byte per read, like a pipe written a byte at a time.
class TrickleBuffer : public std::streambuf {
  public:
    explicit TrickleBuffer(std::string data) : data_(std::move(data)) {}

  protected:
    int_type underflow() override {
        if (pos_ >= data_.size()) {
            return traits_type::eof();
        }
        current_ = data_[pos_];
        setg(&current_, &current_, &current_ + 1);
        ++pos_;
        return traits_type::to_int_type(current_);
    }

  private:
    std::string data_;
    std::size_t pos_ = 0;
    char current_ = 0;
};

TEST(Framing, ReadsOneFrame) {
    std::istringstream in(header(2) + "{}");
    const Frame frame = read_frame(in);
    EXPECT_EQ(frame.status, Frame::Status::Message);
    EXPECT_EQ(frame.body, "{}");
    EXPECT_EQ(read_frame(in).status, Frame::Status::EndOfStream);
}

TEST(Framing, CompletesPartialReads) {
    TrickleBuffer buffer(header(11) + R"({"id":1234})" + header(2) + "[]");
    std::istream in(&buffer);
    EXPECT_EQ(read_frame(in).body, R"({"id":1234})");
    EXPECT_EQ(read_frame(in).body, "[]");
    EXPECT_EQ(read_frame(in).status, Frame::Status::EndOfStream);
}

TEST(Framing, EofInsideHeader) {
    std::istringstream in(std::string("\x05\x00", 2));
    EXPECT_EQ(read_frame(in).status, Frame::Status::TruncatedHeader);
}

TEST(Framing, EofInsideBody) {
    std::istringstream in(header(10) + "abc");
    const Frame frame = read_frame(in);
    EXPECT_EQ(frame.status, Frame::Status::TruncatedBody);
    EXPECT_EQ(frame.length, 10u);
}

TEST(Framing, EmptyFrame) {
    std::istringstream in(header(0) + header(1) + "x");
    EXPECT_EQ(read_frame(in).status, Frame::Status::Empty);
    EXPECT_EQ(read_frame(in).body, "x");
}

TEST(Framing, OversizeIsRefusedWithoutReadingTheBody) {
    std::istringstream in(header(kMaxFrame + 1) + "x");
    const Frame frame = read_frame(in);
    EXPECT_EQ(frame.status, Frame::Status::TooLarge);
    EXPECT_TRUE(frame.body.empty());
    std::istringstream huge(header(0xFFFFFFFFu));
    EXPECT_EQ(read_frame(huge).status, Frame::Status::TooLarge);
}

TEST(Framing, ExactlyOneMebibyteIsAccepted) {
    std::istringstream in(header(kMaxFrame) + std::string(kMaxFrame, ' '));
    const Frame frame = read_frame(in);
    EXPECT_EQ(frame.status, Frame::Status::Message);
    EXPECT_EQ(frame.body.size(), kMaxFrame);
}

TEST(Framing, WritesNativeOrderLengthAndBody) {
    std::ostringstream out;
    write_frame(out, R"({"ok":true})");
    const std::string bytes = out.str();
    ASSERT_EQ(bytes.size(), 4u + 11u);
    std::uint32_t length = 0;
    std::memcpy(&length, bytes.data(), 4);
    EXPECT_EQ(length, 11u);
    EXPECT_EQ(bytes.substr(4), R"({"ok":true})");
}

TEST(Framing, RefusesToWriteOverOneMebibyte) {
    std::ostringstream out;
    EXPECT_THROW(write_frame(out, std::string(kMaxFrame + 1, 'x')), std::length_error);
    EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace epos::nm
