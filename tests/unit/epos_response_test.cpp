#include <gtest/gtest.h>

#include "net/epos_probe.hpp"

namespace epos::net {
namespace {

TEST(EposResponse, ReadsASuccessReply) {
    const auto answer = parse_epos_response(
        R"(<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><response success="true" code="" status="251658262" battery="0" xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/></s:Body></s:Envelope>)");
    EXPECT_TRUE(answer.is_epos);
    EXPECT_TRUE(answer.success);
    EXPECT_EQ(answer.code, "");
    EXPECT_EQ(answer.status, "251658262");
}

TEST(EposResponse, ReadsAnErrorReply) {
    const auto answer = parse_epos_response(
        R"(<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><response success="false" code="EPTR_COVER_OPEN" status="251658270" xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/></s:Body></s:Envelope>)");
    EXPECT_TRUE(answer.is_epos);
    EXPECT_FALSE(answer.success);
    EXPECT_EQ(answer.code, "EPTR_COVER_OPEN");
}

TEST(EposResponse, OtherPagesAreNotEpos) {
    EXPECT_FALSE(parse_epos_response("<html><body>Not found</body></html>").is_epos);
    EXPECT_FALSE(parse_epos_response("").is_epos);
    EXPECT_FALSE(parse_epos_response(R"(<response success="true"/>)").is_epos);  // no namespace
    EXPECT_FALSE(parse_epos_response(std::string(100000, '<')).is_epos);
}

}  // namespace
}  // namespace epos::net
