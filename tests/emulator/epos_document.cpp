#include "epos_document.hpp"

#include <expat.h>

#include <algorithm>
#include <array>
#include <limits>
#include <memory>

namespace epos::emulator {
namespace {

constexpr char kSeparator = '|';

// Element names of ePOS-Print XML (docs/epos-and-odoo.md §2.2, from Epson's builder and manuals).
constexpr std::array<std::string_view, 24> kEposElements{
    "text",     "feed",        "image",        "logo",       "barcode",  "symbol",
    "hline",    "vline-begin", "vline-end",    "page",       "area",     "direction",
    "position", "line",        "rectangle",    "cut",        "pulse",    "sound",
    "layout",   "command",     "rotate-begin", "rotate-end", "recovery", "reset"};

struct Name {
    std::string_view ns;
    std::string_view local;
};

Name split(const XML_Char* qualified) {
    const std::string_view text(qualified);
    const auto bar = text.find(kSeparator);
    if (bar == std::string_view::npos) {
        return {"", text};
    }
    return {text.substr(0, bar), text.substr(bar + 1)};
}

bool one_of(std::string_view value, std::initializer_list<std::string_view> allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool is_number(std::string_view value, long max) {
    if (value.empty() || value.size() > 6) {
        return false;
    }
    long number = 0;
    for (char c : value) {
        if (c < '0' || c > '9') {
            return false;
        }
        number = number * 10 + (c - '0');
    }
    return number <= max;
}

// A few attribute rules that catch what a printer would reject; not the whole XSD.
std::string check_attributes(std::string_view element, const XML_Char** attributes) {
    bool has_width = false;
    bool has_height = false;
    for (int i = 0; attributes[i] != nullptr; i += 2) {
        const std::string_view name = split(attributes[i]).local;
        const std::string_view value = attributes[i + 1];
        bool ok = true;
        if (name == "align") {
            ok = one_of(value, {"left", "center", "right"});
        } else if (element == "cut" && name == "type") {
            ok = one_of(value, {"no_feed", "feed", "reserve"});
        } else if (element == "pulse" && name == "drawer") {
            ok = one_of(value, {"drawer_1", "drawer_2"});
        } else if (element == "pulse" && name == "time") {
            ok = one_of(value, {"pulse_100", "pulse_200", "pulse_300", "pulse_400", "pulse_500"});
        } else if (element == "image" && (name == "width" || name == "height")) {
            ok = is_number(value, 65535);
            (name == "width" ? has_width : has_height) = true;
        } else if (element == "feed" && (name == "line" || name == "unit")) {
            ok = is_number(value, 255);
        }
        if (!ok) {
            return "<" + std::string(element) + "> has an invalid " + std::string(name) + "=\"" +
                   std::string(value) + "\"";
        }
    }
    if (element == "image" && !(has_width && has_height)) {
        return "<image> needs width and height";
    }
    return {};
}

class Parser {
  public:
    Parser(EposDocument& document, XML_Parser parser) : document_(document), parser_(parser) {}

    // A DOCTYPE is refused outright: no printer request has one, and entity tricks start there.
    void doctype() {
        expect(false, "a DOCTYPE is not accepted");
        XML_StopParser(parser_, XML_FALSE);
    }

    void start(const XML_Char* qualified, const XML_Char** attributes) {
        const Name name = split(qualified);
        const int depth = depth_++;
        if (!document_.error.empty() || ignore_from_ > 0) {
            return;
        }
        if (depth == 0) {
            expect(name.ns == kSoapNamespace && name.local == "Envelope",
                   "the root is not a SOAP Envelope");
        } else if (depth == 1) {
            if (name.ns == kSoapNamespace && name.local == "Body") {
                expect(!seen_body_, "two SOAP Bodies");
                seen_body_ = true;
                in_body_ = true;
            } else {
                expect(name.ns == kSoapNamespace && name.local == "Header",
                       "unexpected <" + std::string(name.local) + "> in the Envelope");
            }
        } else if (depth == 2 && in_body_) {
            expect(name.ns == kEposNamespace && name.local == "epos-print" && !seen_epos_,
                   "the SOAP Body does not hold one <epos-print>");
            seen_epos_ = true;
            in_epos_ = true;
        } else if (depth >= 3 && in_epos_) {
            if (name.ns.empty()) {
                ++document_.ignored_elements;
                ignore_from_ = depth_;
                return;
            }
            expect(name.ns == kEposNamespace &&
                       std::find(kEposElements.begin(), kEposElements.end(), name.local) !=
                           kEposElements.end(),
                   "unknown element <" + std::string(name.local) + ">");
            if (document_.error.empty()) {
                expect_text(check_attributes(name.local, attributes));
                document_.elements.emplace_back(name.local);
            }
        }
    }

    void end() {
        if (ignore_from_ == depth_) {
            ignore_from_ = 0;
        }
        --depth_;
        if (depth_ == 2) {
            in_epos_ = false;
        } else if (depth_ == 1) {
            in_body_ = false;
        }
    }

    void finish() {
        if (document_.error.empty() && !seen_epos_) {
            document_.error = "no <epos-print> in the SOAP Body";
        }
        document_.valid = document_.error.empty();
    }

  private:
    void expect(bool condition, const std::string& error) {
        if (!condition && document_.error.empty()) {
            document_.error = error;
        }
    }
    void expect_text(const std::string& error) { expect(error.empty(), error); }

    EposDocument& document_;
    XML_Parser parser_;
    int depth_ = 0;
    int ignore_from_ = 0;  // depth of an ignored (empty-namespace) subtree, 0 = none
    bool seen_body_ = false;
    bool in_body_ = false;
    bool seen_epos_ = false;
    bool in_epos_ = false;
};

extern "C" void on_start(void* user, const XML_Char* name, const XML_Char** attributes) {
    static_cast<Parser*>(user)->start(name, attributes);
}
extern "C" void on_end(void* user, const XML_Char*) {
    static_cast<Parser*>(user)->end();
}
extern "C" void on_doctype(void* user, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<Parser*>(user)->doctype();
}

}  // namespace

EposDocument parse_epos_document(std::string_view body) {
    EposDocument document;
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
        XML_ParserCreateNS("UTF-8", kSeparator), XML_ParserFree);
    if (!parser) {
        document.error = "out of memory";
        return document;
    }
    Parser handler(document, parser.get());
    XML_SetUserData(parser.get(), &handler);
    XML_SetElementHandler(parser.get(), on_start, on_end);
    XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
    XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);
    if (body.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
        XML_Parse(parser.get(), body.data(), static_cast<int>(body.size()), XML_TRUE) !=
            XML_STATUS_OK) {
        if (document.error.empty()) {
            document.error = std::string("not well-formed XML: ") +
                             XML_ErrorString(XML_GetErrorCode(parser.get()));
        }
        document.valid = false;
        return document;
    }
    handler.finish();
    return document;
}

}  // namespace epos::emulator
