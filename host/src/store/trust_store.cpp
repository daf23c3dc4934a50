#include "store/trust_store.hpp"

namespace epos::store {

const char* to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::Installed:
            return "installed";
        case Outcome::AlreadyPresent:
            return "already_present";
        case Outcome::Removed:
            return "removed";
        case Outcome::NotPresent:
            return "not_present";
        case Outcome::Failed:
            return "failed";
    }
    return "failed";
}

const char* to_string(TrustKind kind) {
    return kind == TrustKind::TrustedPeer ? "trusted_peer" : "anchor";
}

}  // namespace epos::store
