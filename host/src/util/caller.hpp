#pragma once

#include <string>

namespace epos {

// Who started the host. Browsers launch native messaging hosts with recognisable arguments
// (docs/browser-behaviour.md §4): Chromium passes "chrome-extension://<id>/", Firefox passes the
// manifest path and the add-on id. Anything else is a person or a script using the command line.
struct Caller {
    enum class Family { Chrome, Firefox, Cli };

    Family family = Family::Cli;
    std::string extension;  // Chrome: the extension origin; Firefox: the add-on id
    int parent_pid = 0;     // the browser process (Linux: used to find the Firefox profile)
};

const char* to_string(Caller::Family family);

}  // namespace epos
