#include "shutdown_signals.hpp"

#include <pthread.h>
#include <signal.h>

#include <iostream>

namespace epos::emulator {
namespace {

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

}  // namespace

ShutdownSignals::ShutdownSignals() {
    const sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    watcher_ = std::thread([this] {
        const sigset_t signals = stop_signals();
        int signal_number = 0;
        sigwait(&signals, &signal_number);
        std::lock_guard lock(mutex_);
        if (quitting_) {
            return;
        }
        std::cerr << "epos-emulator: signal " << signal_number << ", stopping\n";
        signalled_ = true;
        if (stop_) {
            stop_();
        }
    });
}

ShutdownSignals::~ShutdownSignals() {
    {
        std::lock_guard lock(mutex_);
        quitting_ = true;
    }
    // Wakes the watcher if no signal came (a pending, blocked SIGTERM is consumed by its sigwait;
    // if it already returned, the signal stays pending and blocked, and the process is ending).
    pthread_kill(watcher_.native_handle(), SIGTERM);
    watcher_.join();
}

ShutdownSignals::Armed ShutdownSignals::arm(std::function<void()> stop) {
    set_stop(std::move(stop));
    return Armed(*this);
}

void ShutdownSignals::set_stop(std::function<void()> stop) {
    std::lock_guard lock(mutex_);
    stop_ = std::move(stop);
    if (signalled_ && stop_) {
        stop_();
    }
}

}  // namespace epos::emulator
