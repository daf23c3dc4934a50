// Store kinds: the code switches on the enum; the journal and the protocol carry the name. A name
// this version does not know (a later version's store) opens nothing and says so.
#include <gtest/gtest.h>

#include "ops/untrust.hpp"
#include "store/journal_format.hpp"
#include "store/trust_store.hpp"
#include "util/failure.hpp"

namespace epos::testing {
namespace {

using store::StoreKind;

TEST(StoreKind, EveryKindsNameReadsBackAsThatKind) {
    for (auto kind : {StoreKind::Nss, StoreKind::System, StoreKind::Windows, StoreKind::Macos}) {
        EXPECT_EQ(store::parse_store_kind(store::to_string(kind)), kind) << store::to_string(kind);
    }
    EXPECT_STREQ(store::to_string(StoreKind::Nss), "nss");
    EXPECT_STREQ(store::to_string(StoreKind::Windows), "windows");
    EXPECT_EQ(store::parse_store_kind("NSS"), std::nullopt);
    EXPECT_EQ(store::parse_store_kind(""), std::nullopt);
}

TEST(StoreKind, AJournalEntryOfAnUnknownKindIsNoStore) {
    store::JournalEntry entry;
    entry.kind = "zfs";
    entry.location = "/somewhere";
    entry.trust = "anchor";
    try {
        (void)ops::journal_store_spec(entry);
        FAIL() << "an unknown kind was opened";
    } catch (const Failure& failure) {
        EXPECT_EQ(failure.code(), "no_store");
        EXPECT_NE(std::string(failure.what()).find("\"zfs\""), std::string::npos) << failure.what();
    }
    entry.kind = "nss";
    const auto spec = ops::journal_store_spec(entry);
    EXPECT_EQ(spec.kind, StoreKind::Nss);
    EXPECT_EQ(spec.trust, store::TrustKind::Anchor);
}

}  // namespace
}  // namespace epos::testing
