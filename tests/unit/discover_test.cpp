// ops::discover's orchestration: what becomes of an open port whose inspection throws, and of a
// target the machine policy keeps out. The real inspection of the emulator runs in
// tests/integration/discover.test.mjs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "loopback_listener.hpp"

#include "ops/discover.hpp"
#include "util/failure.hpp"
#include "wire/discover_json.hpp"

namespace epos::testing {
namespace {

using Listener = LoopbackListener;

// Three open ports whose inspection throws a Failure, a std::exception and something else: each
// is that port's error (the latter two `internal`), the scan and the process go on.
TEST(Discover, EveryExceptionOfAnInspectionIsThatPortsError) {
    Listener block_end("127.0.0.91");  // the /30's broadcast: never a target
    const auto port = block_end.port();
    Listener exception_port("127.0.0.92", port);
    Listener other_port("127.0.0.93", port);
    ops::Context context;
    ops::DiscoverOptions options;
    options.connect_timeout = std::chrono::milliseconds(1000);
    options.inspect = [](const ops::Context&, const std::string& url) -> ops::InspectReport {
        if (url.find("127.0.0.91") != std::string::npos) {
            throw Failure("tls_failed", "no handshake");
        }
        if (url.find("127.0.0.92") != std::string::npos) {
            throw std::runtime_error("boom");
        }
        throw 42;
    };
    const auto targets = ops::expand_targets({"127.0.0.90/30", "127.0.0.92", "127.0.0.93"}, port);
    const auto report = ops::discover(context, targets, options);
    EXPECT_EQ(report.targets, 4u);  // .89 .90 of the /30 (.88 and .91 are its ends), .92, .93
    ASSERT_EQ(report.open, 2u);
    EXPECT_TRUE(report.printers.empty());
    ASSERT_EQ(report.others.size(), 2u);
    const auto& exception = report.others[0];
    EXPECT_EQ(exception.url, "https://127.0.0.92:" + std::to_string(port));
    ASSERT_TRUE(exception.error);
    EXPECT_EQ(exception.error->code, "internal");
    EXPECT_EQ(exception.error->message, "Internal error: boom");
    ASSERT_TRUE(report.others[1].error);
    EXPECT_EQ(report.others[1].error->code, "internal");

    const auto json = wire::to_json(report);
    EXPECT_EQ(
        json["others"][0],
        (nlohmann::json{{"url", exception.url},
                        {"error", {{"code", "internal"}, {"message", "Internal error: boom"}}}}));
    EXPECT_EQ(json["open"], 2);
    EXPECT_EQ(json["printers"], nlohmann::json::array());
    EXPECT_EQ(json["skipped"], nlohmann::json::array());
    EXPECT_TRUE(json["elapsed_ms"].is_number_integer());
}

// A Failure stays that port's own code and message.
TEST(Discover, AFailureKeepsItsCode) {
    Listener listener("127.0.0.94");
    ops::Context context;
    ops::DiscoverOptions options;
    options.inspect = [](const ops::Context&, const std::string&) -> ops::InspectReport {
        throw Failure("tls_failed", "no handshake");
    };
    const auto report =
        ops::discover(context, ops::expand_targets({"127.0.0.94"}, listener.port()), options);
    ASSERT_EQ(report.others.size(), 1u);
    ASSERT_TRUE(report.others[0].error);
    EXPECT_EQ(report.others[0].error->code, "tls_failed");
    EXPECT_EQ(report.others[0].error->message, "no handshake");
}

// A machine policy that allows no network: nothing is connected to, every target is skipped
// with the reason.
TEST(Discover, PolicySkipsWithoutConnecting) {
    Listener listener("127.0.0.95");
    ops::Context context;
    context.policy.allowed_networks.clear();
    ops::DiscoverOptions options;
    bool inspected = false;
    options.inspect = [&](const ops::Context&, const std::string&) -> ops::InspectReport {
        inspected = true;
        throw Failure("tls_failed", "not expected");
    };
    const auto report =
        ops::discover(context, ops::expand_targets({"127.0.0.95"}, listener.port()), options);
    EXPECT_FALSE(inspected);
    EXPECT_EQ(report.open, 0u);
    ASSERT_EQ(report.skipped.size(), 1u);
    EXPECT_EQ(report.skipped[0].url, "https://127.0.0.95:" + std::to_string(listener.port()));
    EXPECT_EQ(report.skipped[0].reason, "the machine policy does not allow loopback addresses");
    EXPECT_EQ(wire::to_json(report)["skipped"][0]["reason"], report.skipped[0].reason);
}

}  // namespace
}  // namespace epos::testing
