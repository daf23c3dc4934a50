#include "util/caller.hpp"

namespace epos {

const char* to_string(Caller::Family family) {
    switch (family) {
        case Caller::Family::Chrome:
            return "chrome";
        case Caller::Family::Firefox:
            return "firefox";
        case Caller::Family::Cli:
            return "cli";
    }
    return "cli";
}

}  // namespace epos
