#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "ops/context.hpp"

namespace epos::nm {

// One protocol command (docs/protocol.md). A handler reads its fields from the request, calls
// one operation and returns the reply's `result`; it throws epos::Failure for an error reply.
class Command {
  public:
    virtual ~Command() = default;
    virtual nlohmann::json run(const nlohmann::json& request, ops::Context& context) = 0;
    // Whether it writes the trust stores or the journal: such commands of one session run one
    // at a time (the journal's file lock orders processes; this orders one process's threads,
    // so two trusts of one port never interleave their store writes).
    virtual bool writes_state() const { return false; }
};

using CommandFactory = std::function<std::unique_ptr<Command>()>;
using CommandTable = std::map<std::string, CommandFactory>;

// Every command the host answers, by name: the one table to extend.
const CommandTable& command_table();

}  // namespace epos::nm
