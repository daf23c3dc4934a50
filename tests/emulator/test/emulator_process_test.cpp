// The real epos-emulator binary on 127.0.0.x, driven by real clients: OpenSSL's TLS client for
// what the handshake presents, cpp-httplib's HTTPS client for the ePOS-Print endpoint.

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "cert_factory.hpp"
#include "emulator_process.hpp"

namespace epos::emulator::testing {
namespace {

const char* kServicePath = "/cgi-bin/epos/service.cgi?devid=local_printer";
const char* kOdooReceipt =
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
    "<epos-print xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\">"
    "<image width=\"8\" height=\"2\" align=\"center\">/wA=</image><cut type=\"feed\"/>"
    "</epos-print></s:Body></s:Envelope>";
const char* kStatusRequest =
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
    "<epos-print xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/>"
    "</s:Body></s:Envelope>";

std::unique_ptr<httplib::SSLClient> client_for(const EmulatorProcess& emulator) {
    auto client = std::make_unique<httplib::SSLClient>(emulator.address(), emulator.port());
    client->enable_server_certificate_verification(false);  // self-signed, as a printer's is
    client->set_connection_timeout(3);
    client->set_read_timeout(3);
    return client;
}

std::string temp_path(const std::string& name) {
    return ::testing::TempDir() + "epos-emulator-" + std::to_string(getpid()) + "-" + name;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(EmulatorProcess, FingerprintPrintedIsWhatTheTlsPeerPresents) {
    for (const auto& [shape, address] :
         std::vector<std::pair<std::string, std::string>>{{"good", "127.0.0.25"},
                                                          {"ecdsa", "127.0.0.26"},
                                                          {"rsa1024", "127.0.0.27"},
                                                          {"sha1", "127.0.0.28"},
                                                          {"no-san", "127.0.0.29"}}) {
        EmulatorProcess emulator({"--address", address, "--port", "0", "--shape", shape});
        EXPECT_EQ(emulator.info().at("url"),
                  "https://" + address + ":" + std::to_string(emulator.port()));
        EXPECT_EQ(emulator.info().at("shape"), shape);
        EXPECT_EQ(emulator.sha256().size(), 64U);
        EXPECT_EQ(emulator.info().at("sha1").get<std::string>().size(), 40U);
        EXPECT_EQ(emulator.info().at("pem").get<std::string>().rfind("-----BEGIN CERTIFICATE", 0),
                  0U);
        const TlsResult tls = tls_connect(address, emulator.port(), {});
        ASSERT_TRUE(tls.connected) << shape << ": " << tls.error;
        EXPECT_EQ(tls.leaf_sha256, emulator.sha256()) << shape;
        EXPECT_EQ(tls.chain_length, 1) << shape;
        EXPECT_EQ(emulator.stop(), 0) << shape << ": SIGTERM must end it cleanly";
    }
}

TEST(EmulatorProcess, TwoEmulatorsOnOnePortDifferentAddresses) {
    EmulatorProcess first({"--address", "127.0.0.31", "--shape", "good"});
    EmulatorProcess second(
        {"--address", "127.0.0.32", "--port", std::to_string(first.port()), "--shape", "good"});
    EXPECT_EQ(first.port(), second.port());
    EXPECT_EQ(tls_connect("127.0.0.31", first.port(), {}).leaf_sha256, first.sha256());
    EXPECT_EQ(tls_connect("127.0.0.32", second.port(), {}).leaf_sha256, second.sha256());
    EXPECT_NE(first.sha256(), second.sha256());
}

TEST(EmulatorProcess, GivenCertAndKeyAreServedAsTheSamePrinter) {
    const auto made = epos::testing::make_certificate(epos::testing::shape("good", "127.0.0.33"));
    const std::string cert = temp_path("cert.pem");
    const std::string key = temp_path("key.pem");
    std::ofstream(cert) << made.cert_pem;
    std::ofstream(key) << made.key_pem;
    for (int restart = 0; restart < 2; ++restart) {
        EmulatorProcess emulator({"--address", "127.0.0.33", "--cert", cert, "--key", key});
        EXPECT_EQ(emulator.sha256(), made.sha256);
        EXPECT_EQ(emulator.info().at("shape"), "file");
        EXPECT_EQ(tls_connect("127.0.0.33", emulator.port(), {}).leaf_sha256, made.sha256);
    }
    std::remove(cert.c_str());
    std::remove(key.c_str());
}

TEST(EmulatorProcess, OdooPrintGetsTheEposSuccessReplyWithCors) {
    EmulatorProcess emulator({"--address", "127.0.0.25"});
    auto client = client_for(emulator);
    // Odoo's fetch: a string body (text/plain), no other headers, an Origin: a simple request.
    const auto result = client->Post(kServicePath, {{"Origin", "https://pos.example.test"}},
                                     kOdooReceipt, "text/plain;charset=UTF-8");
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->get_header_value("Content-Type"), "text/xml; charset=utf-8");
    EXPECT_NE(result->body.find("<response success=\"true\" code=\"\" status=\"251658262\" "
                                "battery=\"0\" xmlns=\"http://www.epson-pos.com/schemas/2011/03/"
                                "epos-print\"/>"),
              std::string::npos)
        << result->body;
    EXPECT_EQ(result->get_header_value("Access-Control-Allow-Origin"), "https://pos.example.test");
}

TEST(EmulatorProcess, MalformedBodyIsSchemaError) {
    EmulatorProcess emulator({"--address", "127.0.0.25"});
    auto client = client_for(emulator);
    const auto result = client->Post(kServicePath, "<hello>printer</hello>", "text/xml");
    ASSERT_TRUE(result);
    EXPECT_NE(result->body.find("success=\"false\" code=\"SchemaError\""), std::string::npos)
        << result->body;
}

TEST(EmulatorProcess, OtherDeviceIdIsDeviceNotFound) {
    EmulatorProcess emulator({"--address", "127.0.0.25"});
    auto client = client_for(emulator);
    const auto result =
        client->Post("/cgi-bin/epos/service.cgi?devid=kitchen_printer", kOdooReceipt, "text/xml");
    ASSERT_TRUE(result);
    EXPECT_NE(result->body.find("success=\"false\" code=\"DeviceNotFound\""), std::string::npos)
        << result->body;
}

TEST(EmulatorProcess, PaperEndRefusesPrintsButAnswersStatus) {
    EmulatorProcess emulator({"--address", "127.0.0.25", "--state", "paper-end"});
    EXPECT_EQ(emulator.info().at("state"), "paper-end");
    auto client = client_for(emulator);
    const auto print = client->Post(kServicePath, kOdooReceipt, "text/plain");
    ASSERT_TRUE(print);
    EXPECT_NE(print->body.find("success=\"false\" code=\"EPTR_REC_EMPTY\" status=\"252182550\""),
              std::string::npos)
        << print->body;  // 252182550 = 0x0F080016: ASB_RECEIPT_END set
    const auto status = client->Post(kServicePath, kStatusRequest, "text/xml");
    ASSERT_TRUE(status);
    EXPECT_NE(status->body.find("success=\"true\" code=\"\" status=\"252182550\""),
              std::string::npos)
        << status->body;
}

TEST(EmulatorProcess, CoverOpenRefusesPrints) {
    EmulatorProcess emulator({"--address", "127.0.0.25", "--state", "cover-open"});
    auto client = client_for(emulator);
    const auto print = client->Post(kServicePath, kOdooReceipt, "text/plain");
    ASSERT_TRUE(print);
    EXPECT_NE(print->body.find("code=\"EPTR_COVER_OPEN\""), std::string::npos) << print->body;
}

TEST(EmulatorProcess, AnswersTheCorsPreflightOfEpsonsSdk) {
    EmulatorProcess emulator({"--address", "127.0.0.25"});
    auto client = client_for(emulator);
    const auto result = client->Options(
        kServicePath,
        {{"Origin", "https://pos.example.test"},
         {"Access-Control-Request-Method", "POST"},
         {"Access-Control-Request-Headers", "content-type,soapaction,if-modified-since"},
         {"Access-Control-Request-Private-Network", "true"}});
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 204);
    EXPECT_EQ(result->get_header_value("Access-Control-Allow-Origin"), "https://pos.example.test");
    EXPECT_NE(result->get_header_value("Access-Control-Allow-Methods").find("POST"),
              std::string::npos);
    const std::string headers = result->get_header_value("Access-Control-Allow-Headers");
    for (const char* header : {"Content-Type", "SOAPAction", "If-Modified-Since"}) {
        EXPECT_NE(headers.find(header), std::string::npos) << header;
    }
    EXPECT_EQ(result->get_header_value("Access-Control-Allow-Private-Network"), "true");
}

TEST(EmulatorProcess, Tls11OnlyPrinterRefusesTls12) {
    EmulatorProcess emulator(
        {"--address", "127.0.0.41", "--tls-min", "1.0", "--tls-max", "1.1", "--shape", "sha1"});
    const TlsResult modern =
        tls_connect("127.0.0.41", emulator.port(), {TLS1_2_VERSION, TLS1_3_VERSION, 0, {}, false});
    EXPECT_FALSE(modern.connected) << "a TLS 1.2+ client must be refused";
    const TlsResult old =
        tls_connect("127.0.0.41", emulator.port(), {TLS1_1_VERSION, TLS1_1_VERSION, 0, {}, false});
    ASSERT_TRUE(old.connected) << old.error;
    EXPECT_EQ(old.version, "TLSv1.1");
    EXPECT_EQ(old.leaf_sha256, emulator.sha256());
}

TEST(EmulatorProcess, Tls13OnlyPrinterRefusesTls12) {
    EmulatorProcess emulator({"--address", "127.0.0.42", "--tls-min", "1.3"});
    EXPECT_FALSE(
        tls_connect("127.0.0.42", emulator.port(), {TLS1_2_VERSION, TLS1_2_VERSION, 0, {}, false})
            .connected);
    EXPECT_EQ(tls_connect("127.0.0.42", emulator.port(), {}).version, "TLSv1.3");
}

TEST(EmulatorProcess, AcceptedPrintsAreLoggedToFileAndServed) {
    const std::string log_path = temp_path("prints.jsonl");
    std::remove(log_path.c_str());
    EmulatorProcess emulator({"--address", "127.0.0.25", "--print-log", log_path});
    auto client = client_for(emulator);
    ASSERT_TRUE(client->Post(kServicePath, kStatusRequest, "text/xml"));  // not a print
    ASSERT_TRUE(client->Post(kServicePath, "<bad/>", "text/xml"));        // not accepted
    ASSERT_TRUE(client->Post(kServicePath, {{"Origin", "https://pos.example.test"}}, kOdooReceipt,
                             "text/plain"));

    const auto served = client->Get("/emulator/prints");
    ASSERT_TRUE(served);
    const auto prints = nlohmann::json::parse(served->body);
    ASSERT_EQ(prints.size(), 1U) << served->body;
    EXPECT_EQ(prints[0].at("devid"), "local_printer");
    EXPECT_EQ(prints[0].at("bytes"), std::string(kOdooReceipt).size());
    EXPECT_EQ(prints[0].at("elements"), nlohmann::json({"image", "cut"}));
    EXPECT_EQ(prints[0].at("origin"), "https://pos.example.test");
    EXPECT_FALSE(prints[0].at("time").get<std::string>().empty());

    const std::string file = read_file(log_path);
    ASSERT_EQ(std::count(file.begin(), file.end(), '\n'), 1) << file;
    EXPECT_EQ(nlohmann::json::parse(file.substr(0, file.find('\n'))), prints[0]);
    std::remove(log_path.c_str());
}

TEST(EmulatorProcess, LandingPageShowsModelAndCertificate) {
    EmulatorProcess emulator({"--address", "127.0.0.25"});
    auto client = client_for(emulator);
    const auto page = client->Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("TM-m30III (emulated)"), std::string::npos);
    EXPECT_NE(page->body.find("127.0.0.25"), std::string::npos);
    EXPECT_NE(page->body.find("Network &gt; Security &gt; SSL/TLS &gt; Certificate"),
              std::string::npos);
    std::string colon;
    const std::string hex = emulator.sha256();
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        colon += (i ? ":" : "") + hex.substr(i, 2);
    }
    std::transform(colon.begin(), colon.end(), colon.begin(), ::toupper);
    EXPECT_NE(page->body.find(colon), std::string::npos) << "fingerprint " << colon;
}

TEST(EmulatorProcess, NotEposServesTlsButNoEposPath) {
    EmulatorProcess emulator({"--address", "127.0.0.43", "--mode", "not-epos"});
    EXPECT_EQ(tls_connect("127.0.0.43", emulator.port(), {}).leaf_sha256, emulator.sha256());
    auto client = client_for(emulator);
    const auto post = client->Post(kServicePath, kStatusRequest, "text/xml");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->status, 404);
    const auto page = client->Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->body.find("TM-m30III"), std::string::npos);
}

TEST(EmulatorProcess, NotTlsAnswersClearTextToAClientHello) {
    EmulatorProcess emulator({"--address", "127.0.0.44", "--mode", "not-tls"});
    const TlsResult tls = tls_connect("127.0.0.44", emulator.port(), {});
    EXPECT_FALSE(tls.connected);
    const std::string answer =
        raw_exchange("127.0.0.44", emulator.port(), std::string("\x16\x03\x01\x00\x05hello", 10),
                     std::chrono::seconds(3));
    EXPECT_EQ(answer.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0U) << answer;
}

TEST(EmulatorProcess, StallNeverAnswersTheHandshake) {
    EmulatorProcess emulator({"--address", "127.0.0.45", "--mode", "stall"});
    const auto start = std::chrono::steady_clock::now();
    TlsClientOptions options;
    options.timeout = std::chrono::milliseconds(700);
    const TlsResult tls = tls_connect("127.0.0.45", emulator.port(), options);
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(tls.connected);
    EXPECT_GE(waited, std::chrono::milliseconds(650)) << "it must hang, not refuse";
    EXPECT_EQ(emulator.stop(), 0);
}

TEST(EmulatorProcess, GarbageAfterACompleteHandshake) {
    EmulatorProcess emulator({"--address", "127.0.0.46", "--mode", "garbage"});
    TlsClientOptions options;
    options.send_get = true;
    const TlsResult tls = tls_connect("127.0.0.46", emulator.port(), options);
    ASSERT_TRUE(tls.connected) << tls.error;
    EXPECT_EQ(tls.leaf_sha256, emulator.sha256());
    EXPECT_EQ(tls.after_handshake.size(), 4096U);
    EXPECT_EQ(tls.after_handshake.find("HTTP/"), std::string::npos);
    auto client = client_for(emulator);
    EXPECT_FALSE(client->Post(kServicePath, kStatusRequest, "text/xml"))
        << "an HTTP client must not get a response";
}

TEST(EmulatorProcess, HugeChainPresentsOneHundredCertificates) {
    EmulatorProcess emulator({"--address", "127.0.0.47", "--mode", "huge-chain"});
    TlsClientOptions options;
    options.max_cert_list = 4 * 1024 * 1024;
    const TlsResult tls = tls_connect("127.0.0.47", emulator.port(), options);
    ASSERT_TRUE(tls.connected) << tls.error;
    EXPECT_EQ(tls.chain_length, 100);
    EXPECT_EQ(tls.leaf_sha256, emulator.sha256());
}

TEST(EmulatorProcess, HugeCertIsAboutOneMebibyte) {
    EmulatorProcess emulator({"--address", "127.0.0.48", "--mode", "huge-cert"});
    // OpenSSL's default client (100 KiB max_cert_list) refuses it, as the host should.
    EXPECT_FALSE(tls_connect("127.0.0.48", emulator.port(), {}).connected);
    TlsClientOptions options;
    options.max_cert_list = 4 * 1024 * 1024;
    const TlsResult tls = tls_connect("127.0.0.48", emulator.port(), options);
    ASSERT_TRUE(tls.connected) << tls.error;
    EXPECT_GE(tls.leaf_der_bytes, 1024U * 1024U);
    EXPECT_LE(tls.leaf_der_bytes, 1200U * 1024U);
    EXPECT_EQ(tls.leaf_sha256, emulator.sha256());
}

TEST(EmulatorProcess, HelpAndBadArguments) {
    const RunResult help = run_emulator_to_end({"--help"});
    EXPECT_EQ(help.exit_status, 0);
    EXPECT_NE(help.output.find("--print-log"), std::string::npos);
    const RunResult bad = run_emulator_to_end({"--mode", "bogus"});
    EXPECT_EQ(bad.exit_status, 2);
    EXPECT_NE(bad.output.find("unknown mode 'bogus'"), std::string::npos) << bad.output;
    const RunResult shape = run_emulator_to_end({"--shape", "triangular"});
    EXPECT_EQ(shape.exit_status, 1);
    EXPECT_NE(shape.output.find("unknown --shape"), std::string::npos) << shape.output;
    const RunResult missing =
        run_emulator_to_end({"--cert", "/nonexistent.pem", "--key", "/nonexistent.key"});
    EXPECT_EQ(missing.exit_status, 1);
    EXPECT_NE(missing.output.find("cannot read the certificate file"), std::string::npos);
    const RunResult busy = run_emulator_to_end({"--address", "192.0.2.1"});
    EXPECT_EQ(busy.exit_status, 1) << "an address not on this machine cannot be bound";
}

}  // namespace
}  // namespace epos::emulator::testing
