#include "cors.hpp"

namespace epos::emulator {

void add_cors_headers(const httplib::Request& request, httplib::Response& response) {
    const std::string origin = request.get_header_value("Origin");
    // Echo the origin (like epson-esc-proxy does) so that credentials would work too; "*" when a
    // client sent none.
    response.set_header("Access-Control-Allow-Origin", origin.empty() ? "*" : origin);
    if (!origin.empty()) {
        response.set_header("Vary", "Origin");
    }
}

void answer_preflight(const httplib::Request& request, httplib::Response& response) {
    response.status = 204;
    response.set_header("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
    response.set_header("Access-Control-Allow-Headers",
                        "Content-Type, SOAPAction, If-Modified-Since");
    response.set_header("Access-Control-Max-Age", "600");
    if (request.get_header_value("Access-Control-Request-Private-Network") == "true") {
        response.set_header("Access-Control-Allow-Private-Network", "true");
    }
}

}  // namespace epos::emulator
