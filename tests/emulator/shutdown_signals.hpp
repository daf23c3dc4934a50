#pragma once

#include <functional>
#include <mutex>
#include <thread>

namespace epos::emulator {

// Turns SIGTERM/SIGINT into a call of a stop function on a thread of its own (never inside a
// signal handler, so the function may take locks: cpp-httplib's Server::stop does). Construct it
// before any other thread starts: the signals are blocked here and every later thread inherits
// that mask.
class ShutdownSignals {
  public:
    ShutdownSignals();
    ~ShutdownSignals();
    ShutdownSignals(const ShutdownSignals&) = delete;
    ShutdownSignals& operator=(const ShutdownSignals&) = delete;

    // While the returned guard lives, a signal calls `stop`. Declare the guard after whatever
    // `stop` touches, so that it is disarmed before that is destroyed.
    class Armed {
      public:
        explicit Armed(ShutdownSignals& owner) : owner_(owner) {}
        ~Armed() { owner_.set_stop({}); }
        Armed(const Armed&) = delete;
        Armed& operator=(const Armed&) = delete;

      private:
        ShutdownSignals& owner_;
    };
    [[nodiscard]] Armed arm(std::function<void()> stop);

  private:
    void set_stop(std::function<void()> stop);

    std::mutex mutex_;
    std::function<void()> stop_;
    bool signalled_ = false;  // a signal came before arm(): stop at once when armed
    bool quitting_ = false;   // the destructor woke the watcher
    std::thread watcher_;
};

}  // namespace epos::emulator
