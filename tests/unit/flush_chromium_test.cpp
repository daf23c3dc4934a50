// ops::flush_chromium against a real unix socket that answers as installers/linux/epos-trust-flush
// does (one line, then hang up), and against no socket at all. The helper itself runs for real in
// tests/e2e/flush.test.mjs.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "ops/flush_chromium.hpp"
#include "ops/hello.hpp"
#include "util/failure.hpp"
#include "wire/flush_chromium_json.hpp"

namespace {

namespace fs = std::filesystem;

// A listening socket in a fresh folder, named to the host by EPOS_TRUST_FLUSH_SOCKET.
class FlushSocket {
  public:
    FlushSocket() {
        char pattern[] = "/tmp/epos-flush-test-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        path_ = dir_ + "/flush.sock";
        fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path_.c_str(), sizeof(address.sun_path) - 1);
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
        EXPECT_EQ(::listen(fd_, 4), 0);
        ::setenv("EPOS_TRUST_FLUSH_SOCKET", path_.c_str(), 1);
    }
    ~FlushSocket() {
        if (server_.joinable())
            server_.join();
        ::close(fd_);
        ::unsetenv("EPOS_TRUST_FLUSH_SOCKET");
        fs::remove_all(dir_);
    }
    FlushSocket(const FlushSocket&) = delete;
    FlushSocket& operator=(const FlushSocket&) = delete;

    // Accepts one connection and writes `answer` on it, as the helper does.
    void answer_once(std::string answer) {
        server_ = std::thread([this, answer = std::move(answer)] {
            const int connection = ::accept(fd_, nullptr, nullptr);
            if (connection < 0)
                return;
            (void)!::write(connection, answer.data(), answer.size());
            ::close(connection);
        });
    }
    const std::string& path() const { return path_; }

  private:
    std::string dir_;
    std::string path_;
    int fd_ = -1;
    std::thread server_;
};

std::string failure_code_of_flush() {
    try {
        epos::ops::flush_chromium();
    } catch (const epos::Failure& failure) {
        return failure.code();
    }
    return "no failure";
}

TEST(FlushChromium, StartedHelperTakesEffectInSevenSeconds) {
    FlushSocket socket;
    socket.answer_once("started\n");
    const auto reply = epos::ops::flush_chromium();
    EXPECT_EQ(reply.state, "started");
    EXPECT_EQ(reply.effective_in_ms, 7000);
    EXPECT_EQ(
        epos::wire::to_json(reply),
        nlohmann::json::parse(R"({"available":true,"state":"started","effective_in_ms":7000})"));
}

TEST(FlushChromium, BusyHelperIsStillAvailableLater) {
    FlushSocket socket;
    socket.answer_once("busy\n");
    const auto reply = epos::ops::flush_chromium();
    EXPECT_EQ(reply.state, "busy");
    EXPECT_EQ(reply.effective_in_ms, 17000);
}

TEST(FlushChromium, HelperWithoutBrowserIsUnavailable) {
    FlushSocket socket;
    socket.answer_once("no-browser\n");
    EXPECT_EQ(failure_code_of_flush(), "flush_unavailable");
}

TEST(FlushChromium, UnknownAnswerIsUnavailable) {
    FlushSocket socket;
    socket.answer_once("");
    EXPECT_EQ(failure_code_of_flush(), "flush_unavailable");
}

TEST(FlushChromium, NoSocketIsUnavailable) {
    ::setenv("EPOS_TRUST_FLUSH_SOCKET", "/nonexistent/epos-trust/flush.sock", 1);
    EXPECT_EQ(failure_code_of_flush(), "flush_unavailable");
    ::unsetenv("EPOS_TRUST_FLUSH_SOCKET");
}

// hello's chromium_flush (docs/protocol.md): the extension offers the flush only where this is
// true, so it must follow the socket file itself, without connecting (which would start a flush).
TEST(FlushHelperPresent, ListeningSocketIsPresentAndHelloSaysSo) {
    FlushSocket socket;
    EXPECT_TRUE(epos::ops::flush_helper_present());
    epos::ops::Context context;
    EXPECT_EQ(epos::ops::hello(context).chromium_flush, true);
}

TEST(FlushHelperPresent, AbsentSocketIsNotPresentAndHelloSaysSo) {
    ::setenv("EPOS_TRUST_FLUSH_SOCKET", "/nonexistent/epos-trust/flush.sock", 1);
    EXPECT_FALSE(epos::ops::flush_helper_present());
    epos::ops::Context context;
    EXPECT_EQ(epos::ops::hello(context).chromium_flush, false);
    ::unsetenv("EPOS_TRUST_FLUSH_SOCKET");
}

TEST(FlushHelperPresent, RegularFileIsNotASocket) {
    char pattern[] = "/tmp/epos-flush-file-XXXXXX";
    const std::string dir = ::mkdtemp(pattern);
    const std::string path = dir + "/flush.sock";
    std::ofstream(path) << "not a socket\n";
    ::setenv("EPOS_TRUST_FLUSH_SOCKET", path.c_str(), 1);
    EXPECT_FALSE(epos::ops::flush_helper_present());
    ::unsetenv("EPOS_TRUST_FLUSH_SOCKET");
    fs::remove_all(dir);
}

}  // namespace
