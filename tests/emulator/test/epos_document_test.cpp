// The ePOS-Print request judge and reply, in-process (no network): what a TM printer accepts,
// what it calls SchemaError, and what it says in each state.

#include <expat.h>
#include <gtest/gtest.h>

#include <string>

#include "epos_document.hpp"
#include "epos_service.hpp"
#include "not_tls_mode.hpp"
#include "options.hpp"

namespace epos::emulator {
namespace {

const std::string kSoapOpen =
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>";
const std::string kSoapClose = "</s:Body></s:Envelope>";

std::string envelope(const std::string& epos_print) {
    return kSoapOpen + epos_print + kSoapClose;
}

std::string epos(const std::string& children) {
    return "<epos-print xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\">" + children +
           "</epos-print>";
}

// Odoo 17/18's receipt: template whitespace kept, no prolog (docs/epos-and-odoo.md §1.2).
const std::string kOdooReceipt =
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">\n  <s:Body>\n"
    "    <epos-print xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\">\n"
    "      <image width=\"8\" height=\"2\" align=\"center\">/wA=</image>\n"
    "      <cut type=\"feed\"/>\n    </epos-print>\n  </s:Body>\n</s:Envelope>";

TEST(EposDocument, AcceptsOdooReceiptAndListsElements) {
    const EposDocument document = parse_epos_document(kOdooReceipt);
    ASSERT_TRUE(document.valid) << document.error;
    EXPECT_EQ(document.elements, (std::vector<std::string>{"image", "cut"}));
    EXPECT_FALSE(document.is_status_request());
}

TEST(EposDocument, AcceptsEpsonSdkBodyWithPrologAndHeader) {
    const std::string body =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope "
        "xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header><parameter "
        "xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"><printjobid>7</printjobid>"
        "</parameter></s:Header><s:Body>" +
        epos(
            "<text lang=\"en\" align=\"left\">Hello&#10;</text><feed line=\"3\"/><pulse "
            "drawer=\"drawer_1\" time=\"pulse_100\"/><cut type=\"no_feed\"/>") +
        kSoapClose;
    const EposDocument document = parse_epos_document(body);
    ASSERT_TRUE(document.valid) << document.error;
    EXPECT_EQ(document.elements, (std::vector<std::string>{"text", "feed", "pulse", "cut"}));
}

TEST(EposDocument, EmptyEposPrintIsAStatusRequest) {
    const EposDocument document = parse_epos_document(
        envelope("<epos-print xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/>"));
    ASSERT_TRUE(document.valid) << document.error;
    EXPECT_TRUE(document.is_status_request());
}

TEST(EposDocument, EmptyNamespaceChildIsIgnoredNotPrinted) {
    const EposDocument document =
        parse_epos_document(envelope(epos("<text xmlns=\"\">lost<x/></text><cut/>")));
    ASSERT_TRUE(document.valid) << document.error;
    EXPECT_EQ(document.ignored_elements, 1U);
    EXPECT_EQ(document.elements, (std::vector<std::string>{"cut"}));
}

struct Rejected {
    const char* name;
    std::string body;
};

class EposDocumentRejects : public ::testing::TestWithParam<Rejected> {};

TEST_P(EposDocumentRejects, AsSchemaError) {
    const EposDocument document = parse_epos_document(GetParam().body);
    EXPECT_FALSE(document.valid);
    EXPECT_FALSE(document.error.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, EposDocumentRejects,
    ::testing::Values(
        Rejected{"empty", ""}, Rejected{"not_xml", "hello printer"},
        Rejected{"truncated", kOdooReceipt.substr(0, kOdooReceipt.size() / 2)},
        Rejected{"bare_epos_print", epos("<cut/>")},
        Rejected{"wrong_soap_namespace",
                 "<s:Envelope xmlns:s=\"urn:other\"><s:Body>" + epos("") + kSoapClose},
        Rejected{"epos_print_without_namespace", envelope("<epos-print><cut/></epos-print>")},
        Rejected{"body_without_epos_print", envelope("")},
        Rejected{"two_epos_prints", envelope(epos("") + epos(""))},
        Rejected{"unknown_element", envelope(epos("<bell/>"))},
        Rejected{"foreign_namespace_element", envelope(epos("<x:cut xmlns:x=\"urn:x\"/>"))},
        Rejected{"bad_cut_type", envelope(epos("<cut type=\"sideways\"/>"))},
        Rejected{"bad_align", envelope(epos("<text align=\"middle\">a</text>"))},
        Rejected{"image_without_size", envelope(epos("<image>AAA=</image>"))},
        Rejected{"image_width_not_number", envelope(epos("<image width=\"8px\" height=\"1\"/>"))},
        Rejected{"feed_line_too_big", envelope(epos("<feed line=\"256\"/>"))},
        Rejected{"bad_pulse_drawer", envelope(epos("<pulse drawer=\"drawer_9\"/>"))},
        Rejected{"unexpected_envelope_child",
                 "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Foo/>"
                 "<s:Body>" +
                     epos("") + kSoapClose},
        Rejected{"billion_laughs_doctype",
                 "<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY a \"aaaaaaaaaa\">"
                 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" +
                     envelope(epos("<text>&b;</text>"))},
        Rejected{"external_entity", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" +
                                        envelope(epos("<text>&e;</text>"))}),
    [](const ::testing::TestParamInfo<Rejected>& param_info) {
        return std::string(param_info.param.name);
    });

TEST(EposService, SuccessReplyIsWhatOdooParses) {
    const EposReply reply = answer_epos_request("local_printer", kOdooReceipt, PrinterState::Ok);
    EXPECT_TRUE(reply.success);
    EXPECT_TRUE(reply.printed);
    const std::string xml = reply.xml("local_printer");
    EXPECT_NE(xml.find("<response success=\"true\" code=\"\" status=\"251658262\" battery=\"0\" "
                       "xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/>"),
              std::string::npos)
        << xml;
    // The reply itself is well-formed XML (Odoo runs it through DOMParser).
    XML_Parser parser = XML_ParserCreate(nullptr);
    EXPECT_EQ(XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE), XML_STATUS_OK);
    XML_ParserFree(parser);
}

TEST(EposService, DeviceIdOtherThanLocalPrinterIsDeviceNotFound) {
    const EposReply reply = answer_epos_request("kitchen", kOdooReceipt, PrinterState::Ok);
    EXPECT_FALSE(reply.success);
    EXPECT_EQ(reply.code, "DeviceNotFound");
    EXPECT_FALSE(reply.printed);
    EXPECT_EQ(answer_epos_request("", kOdooReceipt, PrinterState::Ok).code, "DeviceNotFound");
}

TEST(EposService, DeviceIdIsEscapedInTheReply) {
    const EposReply reply = answer_epos_request("<a&b>", "", PrinterState::Ok);
    const std::string xml = reply.xml("<a&b>");
    EXPECT_NE(xml.find("<devid>&lt;a&amp;b&gt;</devid>"), std::string::npos) << xml;
}

TEST(EposService, StatesRefusePrintsWithTheirCodeAndStatusBits) {
    const EposReply paper =
        answer_epos_request("local_printer", kOdooReceipt, PrinterState::PaperEnd);
    EXPECT_FALSE(paper.success);
    EXPECT_EQ(paper.code, "EPTR_REC_EMPTY");
    EXPECT_EQ(paper.status, 0x0F080016U);
    const EposReply cover =
        answer_epos_request("local_printer", kOdooReceipt, PrinterState::CoverOpen);
    EXPECT_EQ(cover.code, "EPTR_COVER_OPEN");
    EXPECT_NE(cover.status & kAsbCoverOpen, 0U);
    const EposReply offline =
        answer_epos_request("local_printer", kOdooReceipt, PrinterState::Offline);
    EXPECT_FALSE(offline.success);
    EXPECT_NE(offline.status & kAsbOffLine, 0U);
}

TEST(EposService, StatusRequestSucceedsInEveryStateAndReportsIt) {
    const std::string status_request =
        envelope("<epos-print xmlns=\"http://www.epson-pos.com/schemas/2011/03/epos-print\"/>");
    for (auto state : {PrinterState::Ok, PrinterState::PaperEnd, PrinterState::CoverOpen,
                       PrinterState::Offline}) {
        const EposReply reply = answer_epos_request("local_printer", status_request, state);
        EXPECT_TRUE(reply.success) << to_string(state);
        EXPECT_FALSE(reply.printed);
        EXPECT_EQ(reply.status, status_word(state));
    }
}

TEST(EposService, SchemaErrorComesBeforeTheState) {
    const EposReply reply = answer_epos_request("local_printer", "<x/>", PrinterState::PaperEnd);
    EXPECT_EQ(reply.code, "SchemaError");
}

TEST(Options, ParsesEveryOption) {
    const auto parsed =
        parse_command_line({"--address", "127.0.0.9", "--port", "8443", "--shape", "sha1", "--san",
                            "127.0.0.8", "--tls-min", "1.0", "--tls-max", "1.1", "--state",
                            "cover-open", "--mode", "stall", "--print-log", "/tmp/x.jsonl"});
    ASSERT_TRUE(parsed.options) << parsed.message;
    EXPECT_EQ(parsed.options->address, "127.0.0.9");
    EXPECT_EQ(parsed.options->port, 8443);
    EXPECT_EQ(parsed.options->san.value_or(""), "127.0.0.8");
    EXPECT_EQ(parsed.options->state, PrinterState::CoverOpen);
    EXPECT_EQ(parsed.options->mode, Mode::Stall);
    EXPECT_EQ(parsed.options->print_log.value_or(""), "/tmp/x.jsonl");
}

TEST(Options, RefusesNonsenseWithExitStatus2) {
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"--mode", "bogus"},
                                               {"--state", "on-fire"},
                                               {"--tls-max", "1.4"},
                                               {"--tls-min", "1.3", "--tls-max", "1.1"},
                                               {"--cert", "a.pem"},
                                               {"--port", "70000"},
                                               {"--no-such-option"}}) {
        const auto parsed = parse_command_line(args);
        EXPECT_FALSE(parsed.options) << args[0];
        EXPECT_EQ(parsed.exit_status, 2) << args[0];
        EXPECT_NE(parsed.message.find("epos-emulator:"), std::string::npos);
    }
}

TEST(NotTls, AnswersClearTextHttp) {
    EXPECT_EQ(clear_text_answer("\x16\x03\x01\x02\x00").rfind("HTTP/1.1 400 Bad Request", 0), 0U);
    EXPECT_EQ(clear_text_answer("GET / HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 200 OK", 0), 0U);
}

}  // namespace
}  // namespace epos::emulator
