#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace epos::emulator {

inline constexpr const char* kSoapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr const char* kEposNamespace = "http://www.epson-pos.com/schemas/2011/03/epos-print";

// An ePOS-Print request body, judged the way a printer does (docs/epos-and-odoo.md §2.2): a SOAP
// envelope whose body holds one <epos-print> in Epson's namespace, whose children are known
// ePOS-Print elements with valid attribute values. Anything else is a SchemaError.
struct EposDocument {
    bool valid = false;
    std::string error;                  // why it is a SchemaError (for the log)
    std::vector<std::string> elements;  // ePOS-Print elements inside <epos-print>, document order
    // Children with an empty namespace (xmlns=""): accepted but not printed (Odoo strips
    // xmlns="" because such a request "will succeed but the printer won't print").
    std::size_t ignored_elements = 0;

    // An empty <epos-print/> asks for the status only (Epson SDK startMonitor, the host's probe).
    bool is_status_request() const { return valid && elements.empty() && ignored_elements == 0; }
};

// Parses with expat (namespace-aware, no DTD, no entities: a printer has no business fetching or
// expanding them).
EposDocument parse_epos_document(std::string_view body);

}  // namespace epos::emulator
