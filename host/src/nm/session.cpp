#include "nm/session.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "nm/command.hpp"
#include "nm/dispatch.hpp"
#include "nm/framing.hpp"
#include "util/log.hpp"

namespace epos::nm {
namespace {

using Clock = std::chrono::steady_clock;

// One port (connectNative) carries every request of a page or of the background: a printer
// that never answers must not hold up the next request (a flood of checks of silent addresses
// delayed the shop printer's check by 20 s when requests ran one after the other). Each request
// runs in a thread of its own, up to this many at once; beyond it the answer is `busy` at once.
constexpr std::size_t kMaxInFlight = 64;

// Every request is answered by then, whatever its command is stuck on (a store lock, a hung
// library call): the extension's own client gives up after 20 s. A relay's deadline follows its
// timeout_ms.
constexpr std::chrono::milliseconds kDeadline{25000};
constexpr std::chrono::milliseconds kRelayGrace{5000};

// What the session needs to know of a request before running it.
struct Peek {
    bool runnable = false;  // an object with an id and a known command: dispatch may take long
    nlohmann::json id = nullptr;
    std::chrono::milliseconds deadline = kDeadline;
};

Peek peek(const std::string& body, const CommandTable& table) {
    Peek out;
    const auto request = nlohmann::json::parse(body, nullptr, false);
    if (request.is_discarded() || !request.is_object()) {
        return out;
    }
    const auto id = request.find("id");
    const auto cmd = request.find("cmd");
    if (id == request.end() || cmd == request.end() || !cmd->is_string() ||
        table.count(cmd->get<std::string>()) == 0) {
        return out;
    }
    if (!id->is_number_integer() &&
        !(id->is_string() && id->get_ref<const std::string&>().size() <= 256)) {
        return out;
    }
    const std::string& name = cmd->get_ref<const std::string&>();
    // hello is answered in order on the reading thread: it touches no network, and the
    // extension's first exchange stays in step.
    out.runnable = name != "hello";
    out.id = *id;
    if (name == "relay") {
        const auto timeout = request.find("timeout_ms");
        const long long ms = timeout != request.end() && timeout->is_number_integer()
                                 ? timeout->get<long long>()
                                 : 15000;
        out.deadline = std::chrono::milliseconds(std::min<long long>(std::max(ms, 1000LL), 60000)) +
                       kRelayGrace;
    }
    return out;
}

// Never throws (it runs on the reaper's thread).
std::string timeout_reply(const nlohmann::json& id) noexcept {
    try {
        return error_reply(id, "timeout", "The host could not finish this request in time.");
    } catch (const std::exception& e) {
        return internal_reply(id, e.what());
    }
}

class Session {
  public:
    Session(std::ostream& out, ops::Context& context, const CommandTable& table)
        : out_(out), context_(context), table_(table) {
        // std::cerr is tied to std::cout: every log line flushed stdout from the logging thread,
        // outside out_mutex_, while another thread wrote a reply, and a frame went out twice
        // (measured: 2 sessions in 40 with three concurrent inspects).
        for (std::ostream* stream : {&std::cerr, &std::clog}) {
            if (stream->tie() == &out) {
                stream->tie(nullptr);
            }
        }
        try {
            reaper_ = std::thread([this] { reap(); });
        } catch (const std::system_error& e) {
            // No thread to be had: every request is then answered in turn on the reading thread
            // (no deadline, no concurrency), which still answers each.
            log::error(std::string("no thread for the deadlines: ") + e.what());
        }
    }

    // Answers whole frames only, one at a time. Never throws: it is called from the request
    // threads and the reaper, where an exception would end the process.
    void write(const std::string& reply) noexcept {
        if (reply.empty()) {
            return;  // internal_reply had no memory left for even a fixed reply
        }
        try {
            const std::lock_guard guard(out_mutex_);
            if (out_) {
                write_frame(out_, reply);
            }
        } catch (const std::exception& e) {
            log::error(std::string("a reply could not be written: ") + e.what());
        }
    }

    bool output_ok() {
        const std::lock_guard guard(out_mutex_);
        return static_cast<bool>(out_);
    }

    // Answers one frame, now or from a thread of its own. Never throws: whatever stops it (no
    // memory for the bookkeeping) is answered `internal`, with the request's id once known.
    void handle(std::string body) noexcept {
        nlohmann::json id = nullptr;
        try {
            start(std::move(body), id);
        } catch (const std::exception& e) {
            log::error(std::string("a request could not be started: ") + e.what());
            write(internal_reply(id, e.what()));
        } catch (...) {
            log::error("a request could not be started: an unknown exception");
            write(internal_reply(id, "an unknown exception"));
        }
    }

  private:
    void start(std::string body, nlohmann::json& id) {
        const Peek request = peek(body, table_);
        if (!request.runnable || !reaper_.joinable()) {
            write(dispatch(body, context_, &writers_, table_));
            return;
        }
        id = request.id;
        // Before the request is registered: past that point nothing may throw, or the reaper
        // would answer `timeout` for a request that was also answered `internal`.
        const auto shared = std::make_shared<const std::string>(std::move(body));
        std::uint64_t key = 0;
        {
            const std::lock_guard guard(state_);
            if (running_ >= kMaxInFlight) {
                key = 0;
            } else {
                // emplace either inserts or throws with nothing inserted.
                pending_.emplace(next_key_ + 1,
                                 Pending{request.id, Clock::now() + request.deadline, false});
                key = ++next_key_;
                ++running_;
            }
        }
        if (key == 0) {
            write(error_reply(request.id, "busy",
                              "The host is already working on " + std::to_string(kMaxInFlight) +
                                  " requests; try again in a moment."));
            return;
        }
        changed_.notify_all();  // a new deadline for the reaper
        try {
            std::thread([this, key, shared] { run(key, *shared, true); }).detach();
        } catch (const std::system_error& e) {
            // No thread to be had: answer in this one rather than not at all.
            log::error(std::string("no thread for a request: ") + e.what());
            run(key, *shared);
        }
    }

  public:
    // After the input ended: every request answered (by its command or by its deadline), then
    // the reaper stopped. Returns false when a command is still running past its deadline.
    bool finish() {
        std::unique_lock lock(state_);
        // Entries leave pending_ once their own reply is written; what stays was answered by
        // the reaper and still runs.
        changed_.wait(lock, [this] {
            for (const auto& [key, pending] : pending_) {
                if (!pending.reaped) {
                    return false;
                }
            }
            return true;
        });
        stopping_ = true;
        changed_.notify_all();
        lock.unlock();
        if (reaper_.joinable()) {
            reaper_.join();
        }
        lock.lock();
        return running_ == 0;
    }

  private:
    struct Pending {
        nlohmann::json id;
        Clock::time_point deadline;
        bool answered = false;
        bool reaped = false;  // answered `timeout` by the reaper
    };

    // Claims the right to answer `key`: true once, for whoever comes first (the command or the
    // reaper at its deadline).
    bool claim(std::uint64_t key) {
        const auto it = pending_.find(key);
        if (it == pending_.end() || it->second.answered) {
            return false;
        }
        it->second.answered = true;
        return true;
    }

    // Runs on a request's own thread: dispatch and write never throw, so neither can this.
    void run(std::uint64_t key, const std::string& body, bool own_thread = false) noexcept {
        const std::string reply = dispatch(body, context_, &writers_, table_);
        bool mine = false;
        {
            const std::lock_guard guard(state_);
            mine = claim(key);
        }
        if (mine) {
            write(reply);
        }
        if (own_thread) {
            // The thread is detached and the process may exit as soon as the count below drops:
            // free OpenSSL's per-thread state (its error queue) now, not in a thread-exit handler
            // that may never run (LeakSanitizer saw it as leaked).
            OPENSSL_thread_stop();
        }
        const std::lock_guard guard(state_);
        pending_.erase(key);
        --running_;
        changed_.notify_all();  // under the lock: finish() may destroy the session right after
    }

    void reap() {
        std::unique_lock lock(state_);
        while (!stopping_) {
            auto next = Clock::time_point::max();
            std::vector<nlohmann::json> overdue;
            const auto now = Clock::now();
            for (auto& [key, pending] : pending_) {
                if (pending.answered) {
                    continue;
                }
                if (pending.deadline <= now) {
                    try {
                        overdue.push_back(pending.id);
                    } catch (const std::exception&) {
                        // No memory for the list: this one is answered on the next round.
                        next = std::min(next, now + std::chrono::milliseconds(100));
                        continue;
                    }
                    pending.answered = true;
                    pending.reaped = true;
                } else {
                    next = std::min(next, pending.deadline);
                }
            }
            if (!overdue.empty()) {
                lock.unlock();
                for (const auto& id : overdue) {
                    log::error("a request ran past its deadline; answered timeout");
                    write(timeout_reply(id));
                }
                lock.lock();
                changed_.notify_all();
                continue;
            }
            if (next == Clock::time_point::max()) {
                changed_.wait(lock);
            } else {
                changed_.wait_until(lock, next);
            }
        }
    }

    std::ostream& out_;
    ops::Context& context_;
    const CommandTable& table_;
    std::mutex out_mutex_;
    std::mutex writers_;
    std::mutex state_;
    std::condition_variable changed_;
    std::map<std::uint64_t, Pending> pending_;
    std::size_t running_ = 0;
    std::uint64_t next_key_ = 0;
    bool stopping_ = false;
    std::thread reaper_;
};

}  // namespace

int serve(std::istream& in, std::ostream& out, ops::Context& context, const CommandTable& table) {
    Session session(out, context, table);
    const auto end = [&session, &out] {
        if (!session.finish()) {
            // A command still runs past its deadline and its reply was given for it; its thread
            // uses this session and the context, which must not be destroyed under it.
            out.flush();
            log::error("stopping with a request still running past its deadline");
            std::_Exit(0);
        }
        return 0;
    };
    for (;;) {
        Frame frame;
        try {
            frame = read_frame(in);
        } catch (const std::exception& e) {
            // No memory for the body (up to 1 MiB): it was not read, so the stream is out of
            // step, as with a frame too large.
            session.write(internal_reply(nullptr, e.what()));
            log::error(std::string("a frame could not be read: ") + e.what());
            return end();
        }
        switch (frame.status) {
            case Frame::Status::Message:
                session.handle(std::move(frame.body));
                break;
            case Frame::Status::Empty:
                session.write(error_reply(nullptr, "empty_frame", "The message is empty."));
                break;
            case Frame::Status::TooLarge:
                // The body was not read, so the stream is out of step: answer and stop (after
                // the requests already running have been answered).
                session.write(error_reply(nullptr, "frame_too_large",
                                          "The message is " + std::to_string(frame.length) +
                                              " bytes; the limit is 1 MiB."));
                log::error("frame of " + std::to_string(frame.length) + " bytes refused");
                return end();
            case Frame::Status::TruncatedHeader:
            case Frame::Status::TruncatedBody:
                log::error("the input ended inside a frame; stopping");
                return end();
            case Frame::Status::EndOfStream:
                return end();
        }
        if (!session.output_ok()) {
            return end();  // the browser closed our stdout
        }
    }
}

}  // namespace epos::nm
