#pragma once

#include <string>
#include <vector>

#include "ops/context.hpp"
#include "store/trust_store.hpp"

namespace epos::ops {

inline constexpr int kProtocolVersion = 1;

// One trust store that serves the caller, as hello describes it.
struct StoreInfo {
    std::string id;
    store::StoreKind kind = store::StoreKind::Nss;
    std::string location;
    std::string label;
    store::TrustKind trust = store::TrustKind::TrustedPeer;
};

// docs/protocol.md "hello": what this host is and what it can do here.
struct HelloResult {
    std::string version;
    int protocol = kProtocolVersion;
    std::string os;  // os_name()
    Caller caller;
    std::vector<StoreInfo> stores;
    policy::Policy policy;
    // Whether `flush-chromium` has a helper to ask: the extension offers "apply without
    // restarting" only then, never a button that can only fail (docs/protocol.md "hello").
    bool chromium_flush = false;
};

HelloResult hello(const Context& context);

const char* os_name();

}  // namespace epos::ops
