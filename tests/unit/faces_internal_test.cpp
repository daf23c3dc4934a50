// Both faces answer `internal` for any exception that is not an epos::Failure, whichever thread
// it is thrown on: a bug in a command must not end the host (the browser would see its port
// drop) nor the command line (an abort instead of an exit status).
#include <cerrno>
#include <map>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_command.hpp"
#include "nm/commands.hpp"
#include "nm/dispatch.hpp"
#include "nm/framing.hpp"
#include "nm/session.hpp"
#include "util/failure.hpp"

namespace epos {
namespace {

// What each bug throws, by name.
void throw_named(const std::string& what) {
    if (what == "int") {
        throw 42;
    }
    if (what == "json") {
        (void)nlohmann::json::parse("{}").at("missing");  // nlohmann::json::out_of_range
    }
    if (what == "bad_alloc") {
        throw std::bad_alloc();
    }
    if (what == "system_error") {
        throw std::system_error(EAGAIN, std::generic_category(), "thread");
    }
    if (what == "failure") {
        throw Failure("bad_request", "a planned failure");
    }
}

const std::vector<std::string> kBugs = {"int", "json", "bad_alloc", "system_error"};

class ThrowingCommand : public nm::Command {
  public:
    nlohmann::json run(const nlohmann::json& request, ops::Context&) override {
        throw_named(request.at("throw").get<std::string>());
        return nlohmann::json::object();
    }
};

const nm::CommandTable& throwing_table() {
    static const nm::CommandTable table = {
        {"hello", nm::make_hello_command},
        {"bug", [] { return std::make_unique<ThrowingCommand>(); }},
        // A factory that throws before any command exists.
        {"no-factory", []() -> std::unique_ptr<nm::Command> { throw 7; }},
    };
    return table;
}

TEST(FacesInternal, DispatchAnswersInternalForEveryKindOfException) {
    ops::Context context;
    for (const auto& bug : kBugs) {
        const auto body = nlohmann::json{{"id", bug}, {"cmd", "bug"}, {"throw", bug}}.dump();
        const auto reply =
            nlohmann::json::parse(nm::dispatch(body, context, nullptr, throwing_table()));
        EXPECT_EQ(reply["id"], bug);
        EXPECT_EQ(reply["ok"], false);
        EXPECT_EQ(reply["error"]["code"], "internal") << bug;
    }
    const auto factory = nlohmann::json::parse(
        nm::dispatch(R"({"id":1,"cmd":"no-factory"})", context, nullptr, throwing_table()));
    EXPECT_EQ(factory["error"]["code"], "internal");
    EXPECT_EQ(factory["id"], 1);
    // A Failure keeps its own code.
    const auto planned = nlohmann::json::parse(nm::dispatch(
        R"({"id":2,"cmd":"bug","throw":"failure"})", context, nullptr, throwing_table()));
    EXPECT_EQ(planned["error"]["code"], "bad_request");
}

std::string frame(const std::string& body) {
    std::ostringstream out;
    nm::write_frame(out, body);
    return out.str();
}

// The session runs these on detached threads of their own: an escaped exception there would
// std::terminate the whole process (and this test binary).
TEST(FacesInternal, SessionAnswersEveryRequestAndKeepsServing) {
    std::string input;
    for (const auto& bug : kBugs) {
        input += frame(nlohmann::json{{"id", bug}, {"cmd", "bug"}, {"throw", bug}}.dump());
    }
    input += frame(R"({"id":"f","cmd":"no-factory"})");
    input += frame(R"({"id":"h","cmd":"hello"})");
    std::istringstream in(input);
    std::ostringstream out;
    ops::Context context;
    EXPECT_EQ(nm::serve(in, out, context, throwing_table()), 0);

    std::istringstream replies(out.str());
    std::map<std::string, std::string> codes;
    for (nm::Frame reply = nm::read_frame(replies); reply.status == nm::Frame::Status::Message;
         reply = nm::read_frame(replies)) {
        const auto json = nlohmann::json::parse(reply.body);
        const auto id = json["id"].get<std::string>();
        EXPECT_EQ(codes.count(id), 0u) << "answered twice: " << id;
        codes[id] = json["ok"].get<bool>() ? "ok" : json["error"]["code"].get<std::string>();
    }
    std::map<std::string, std::string> expected = {{"f", "internal"}, {"h", "ok"}};
    for (const auto& bug : kBugs) {
        expected[bug] = "internal";
    }
    EXPECT_EQ(codes, expected);
}

class ThrowingCli : public cli::CliCommand {
  public:
    explicit ThrowingCli(std::string bug) : bug_(std::move(bug)) {}
    const char* name() const override { return "bug"; }
    const char* summary() const override { return "throws"; }
    const char* usage() const override { return "bug"; }
    int run(const cli::po::variables_map&, ops::Context&, cli::Output&) override {
        throw_named(bug_);
        return 0;
    }

  private:
    std::string bug_;
};

TEST(FacesInternal, CommandLineExitsWithInternalForEveryKindOfException) {
    for (const auto& bug : kBugs) {
        const auto commands = [&] {
            std::vector<std::unique_ptr<cli::CliCommand>> list;
            list.push_back(std::make_unique<ThrowingCli>(bug));
            return list;
        };
        const char* json_argv[] = {"epos-trust", "bug", "--json"};
        std::ostringstream out;
        std::ostringstream err;
        EXPECT_EQ(cli::run(3, json_argv, out, err, commands), 1) << bug;
        const auto reply = nlohmann::json::parse(out.str());
        EXPECT_EQ(reply["error"]["code"], "internal") << bug;

        const char* text_argv[] = {"epos-trust", "bug"};
        std::ostringstream text_out;
        std::ostringstream text_err;
        EXPECT_EQ(cli::run(2, text_argv, text_out, text_err, commands), 1) << bug;
        EXPECT_NE(text_err.str().find("[internal]"), std::string::npos) << text_err.str();
    }
    // Even the list of commands failing to build is an exit status, not an abort.
    const char* argv[] = {"epos-trust", "bug"};
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(cli::run(2, argv, out, err,
                       []() -> std::vector<std::unique_ptr<cli::CliCommand>> { throw 1; }),
              1);
    EXPECT_NE(err.str().find("[internal]"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace epos
