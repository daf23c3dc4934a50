// ops/manifest_registry.hpp where browsers read manifests from folders: no keys, nothing to do.
#include "ops/manifest_registry.hpp"

namespace epos::ops {

std::string registry_name(const ManifestLocation&, Scope) {
    return "";
}

std::optional<std::string> registry_target(const ManifestLocation&, Scope) {
    return std::nullopt;
}

void point_registry_at(const ManifestLocation&, Scope) {}

std::string remove_registry_entry(const ManifestLocation&, Scope) {
    return "absent";
}

}  // namespace epos::ops
