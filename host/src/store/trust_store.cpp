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

const char* to_string(StoreKind kind) {
    switch (kind) {
        case StoreKind::Nss:
            return "nss";
        case StoreKind::System:
            return "system";
        case StoreKind::Windows:
            return "windows";
        case StoreKind::Macos:
            return "macos";
    }
    return "nss";
}

std::optional<StoreKind> parse_store_kind(std::string_view name) {
    for (auto kind : {StoreKind::Nss, StoreKind::System, StoreKind::Windows, StoreKind::Macos}) {
        if (name == to_string(kind)) {
            return kind;
        }
    }
    return std::nullopt;
}

}  // namespace epos::store
