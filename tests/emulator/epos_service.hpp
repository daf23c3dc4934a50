#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "epos_document.hpp"
#include "options.hpp"

namespace epos::emulator {

// ASB status words (docs/epos-and-odoo.md §2.3). 0x0F000016 is what Epson's manual shows for a
// successful print; the fixed high bits are kept as-is in every state.
inline constexpr std::uint32_t kStatusOk = 0x0F000016;       // 251658262
inline constexpr std::uint32_t kAsbOffLine = 0x00000008;     // ASB_OFF_LINE
inline constexpr std::uint32_t kAsbCoverOpen = 0x00000020;   // ASB_COVER_OPEN
inline constexpr std::uint32_t kAsbWaitOnLine = 0x00000100;  // ASB_WAIT_ON_LINE
inline constexpr std::uint32_t kAsbReceiptEnd = 0x00080000;  // ASB_RECEIPT_END

// The status word the printer reports in a state.
std::uint32_t status_word(PrinterState state);

// What the printer answers to one POST on service.cgi.
struct EposReply {
    bool success = false;
    std::string code;  // "" on success; SchemaError, DeviceNotFound, EPTR_REC_EMPTY, ...
    std::uint32_t status = 0;
    bool printed = false;  // an accepted print (not a status request, not an error)
    EposDocument document;

    // The SOAP envelope a printer sends back (Content-Type: text/xml; charset=utf-8).
    std::string xml(std::string_view devid) const;
};

// Judges one request like a TM printer with the ePOS-Print service on: the device id first (only
// the built-in "local_printer" exists), then the document (SchemaError), then the state. A status
// request (empty <epos-print/>) always succeeds and only reports the status word.
EposReply answer_epos_request(std::string_view devid, std::string_view body, PrinterState state);

}  // namespace epos::emulator
