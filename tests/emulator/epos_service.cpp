#include "epos_service.hpp"

#include "markup.hpp"

namespace epos::emulator {
namespace {

// The error code a print gets in a state that cannot print. Offline: Epson's manuals say the
// reply then comes at the client timeout; EX_TIMEOUT is the code the SDK reports for it.
std::string state_error(PrinterState state) {
    switch (state) {
        case PrinterState::PaperEnd:
            return "EPTR_REC_EMPTY";
        case PrinterState::CoverOpen:
            return "EPTR_COVER_OPEN";
        case PrinterState::Offline:
            return "EX_TIMEOUT";
        case PrinterState::Ok:
            break;
    }
    return {};
}

}  // namespace

std::uint32_t status_word(PrinterState state) {
    switch (state) {
        case PrinterState::Ok:
            return kStatusOk;
        // 0x0F080016, as in a third-party fixture of an EPTR_REC_EMPTY reply.
        case PrinterState::PaperEnd:
            return kStatusOk | kAsbReceiptEnd;
        // An open cover also takes the printer off line.
        case PrinterState::CoverOpen:
            return kStatusOk | kAsbCoverOpen | kAsbOffLine;
        case PrinterState::Offline:
            return kStatusOk | kAsbOffLine | kAsbWaitOnLine;
    }
    return kStatusOk;
}

std::string EposReply::xml(std::string_view devid) const {
    return std::string(
               "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
               "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
               "<s:Header><parameter xmlns=\"") +
           kEposNamespace + "\"><devid>" + escape_markup(devid) +
           "</devid><printjobid></printjobid></parameter></s:Header>"
           "<s:Body><response success=\"" +
           (success ? "true" : "false") + "\" code=\"" + escape_markup(code) + "\" status=\"" +
           std::to_string(status) + "\" battery=\"0\" xmlns=\"" + kEposNamespace +
           "\"/></s:Body></s:Envelope>";
}

EposReply answer_epos_request(std::string_view devid, std::string_view body, PrinterState state) {
    EposReply reply;
    reply.status = status_word(state);
    if (devid != "local_printer") {
        reply.code = "DeviceNotFound";
        return reply;
    }
    reply.document = parse_epos_document(body);
    if (!reply.document.valid) {
        reply.code = "SchemaError";
        return reply;
    }
    if (reply.document.is_status_request()) {
        reply.success = true;
        return reply;
    }
    reply.code = state_error(state);
    reply.success = reply.code.empty();
    reply.printed = reply.success;
    return reply;
}

}  // namespace epos::emulator
