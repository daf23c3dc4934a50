#include "printer_routes.hpp"

#include <iostream>

#include "cors.hpp"
#include "epos_service.hpp"
#include "web_config_page.hpp"

namespace epos::emulator {
namespace {

constexpr const char* kServicePath = "/cgi-bin/epos/service.cgi";
// A receipt is an image of some 100 KiB; this only keeps a runaway client from eating memory.
constexpr std::size_t kMaxRequestBytes = 16 * 1024 * 1024;

void log_request(const httplib::Request& request, const httplib::Response& response) {
    std::cerr << "epos-emulator: " << request.remote_addr << ' ' << request.method << ' '
              << request.path << (request.params.empty() ? "" : "?...") << " -> " << response.status
              << '\n';
}

}  // namespace

void mount_printer_routes(httplib::Server& server, const Options& options,
                          const PrinterIdentity& identity, PrintLog& log) {
    server.set_payload_max_length(kMaxRequestBytes);
    // cpp-httplib writes headers and body separately: with Nagle on, the body waits for the
    // client's delayed ACK, ~40 ms per reply on loopback (measured with curl: TLS done at 7 ms,
    // first byte at 54 ms). A printer answering a status request is not that slow.
    server.set_tcp_nodelay(true);
    server.set_logger(log_request);
    server.set_post_routing_handler(add_cors_headers);
    server.Options(".*", answer_preflight);

    const bool is_printer = options.mode != Mode::NotEpos;
    server.Get("/", [&options, &identity, is_printer](const httplib::Request&,
                                                      httplib::Response& response) {
        response.set_content(is_printer ? web_config_page(options, identity) : plain_site_page(),
                             "text/html; charset=utf-8");
    });
    if (!is_printer) {
        return;  // everything else, the ePOS path included, is a 404
    }

    server.Post(kServicePath,
                [&options, &log](const httplib::Request& request, httplib::Response& response) {
                    const std::string devid = request.get_param_value("devid");
                    const EposReply reply = answer_epos_request(devid, request.body, options.state);
                    if (!reply.document.error.empty()) {
                        std::cerr << "epos-emulator: SchemaError: " << reply.document.error << '\n';
                    }
                    if (reply.printed) {
                        log.record({utc_now_iso8601(), devid, request.body.size(),
                                    reply.document.elements, request.get_header_value("Origin"),
                                    request.get_header_value("Content-Type")});
                    }
                    // Printers answer 200 whatever the outcome; the outcome is in <response>.
                    response.set_content(reply.xml(devid), "text/xml; charset=utf-8");
                });
    server.Get("/emulator/prints", [&log](const httplib::Request&, httplib::Response& response) {
        response.set_content(log.all().dump(), "application/json");
    });
}

}  // namespace epos::emulator
