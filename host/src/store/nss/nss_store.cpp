#include "store/nss/nss_store.hpp"

#include <memory>
#include <vector>

#include "store/nickname.hpp"
#include "store/nss/nss_database.hpp"
#include "store/nss/nss_objects.hpp"
#include "util/failure.hpp"

namespace epos::store::nss {
namespace {

StoreResult failed(const std::string& code, const std::string& reason) {
    return {Outcome::Failed, code, reason};
}

}  // namespace

NssStore::NssStore(std::filesystem::path dir, TrustKind trust, std::string label)
    : dir_(std::move(dir)), trust_(trust), label_(std::move(label)) {}

bool NssStore::contains(const std::string& sha256) {
    NssDatabase database(dir_, Access::ReadOnly);
    const SlotEntry entry = find_entry(database.slot(), sha256);
    return entry.has_cert && !entry.trust_handles.empty() &&
           entry.server_auth == server_auth_value(trust_);
}

std::optional<std::vector<unsigned char>> NssStore::certificate(const std::string& sha256) {
    NssDatabase database(dir_, Access::ReadOnly);
    SlotEntry entry = find_entry(database.slot(), sha256);
    if (!entry.has_cert) {
        return std::nullopt;
    }
    return std::move(entry.der);
}

StoreResult NssStore::add(const CertificateRecord& record) {
    try {
        const CertAttributes cert = decode_certificate(record.der);
        if (cert.sha256_hex != record.sha256) {
            return failed("fingerprint_mismatch",
                          "The certificate's bytes do not have the SHA-256 they were given with.");
        }
        auto database = std::make_unique<NssDatabase>(dir_, Access::ReadWrite);
        SlotEntry entry = find_entry(database->slot(), record.sha256);
        if (!entry.torn_trust_handles.empty() && entry.has_cert && is_own_nickname(entry.label)) {
            // A trust object torn between cert9.db and key4.db (nss_objects.hpp): delete it, then
            // close the database, and with it NSS, before writing the new one. Measured
            // (tests/faults/torn_trust_test.cpp): writing a trust object in the same NSS session
            // that read a torn one makes NSS_ShutdownContext crash on a null lock afterwards.
            for (unsigned long handle : entry.torn_trust_handles) {
                if (!destroy_object(database->slot(), handle)) {
                    const auto [code, reason] =
                        NssDatabase::diagnose(dir_, "NSS refused to remove a damaged trust entry");
                    return failed(code, reason);
                }
            }
            database.reset();
            database = std::make_unique<NssDatabase>(dir_, Access::ReadWrite);
            entry = find_entry(database->slot(), record.sha256);
        }
        if (entry.has_cert && !entry.trust_handles.empty()) {
            if (entry.server_auth == server_auth_value(trust_)) {
                return {Outcome::AlreadyPresent, {}, {}, is_own_nickname(entry.label)};
            }
            return failed(kConflict,
                          "This database already holds the certificate with other "
                          "trust settings (\"" +
                              entry.label +
                              "\"); epos-trust leaves it alone. Remove it in the "
                              "browser's certificate manager first.");
        }
        if (entry.has_cert && !is_own_nickname(entry.label)) {
            return failed(kConflict, "This database already holds the certificate as \"" +
                                         entry.label +
                                         "\", put there by someone else; epos-trust leaves it "
                                         "alone. Remove it in the browser's certificate manager "
                                         "first.");
        }
        // An untrusted certificate under our own label is what an interrupted add leaves
        // behind: finish that entry rather than write a second one.
        const bool created = !entry.has_cert;
        const unsigned long cert_handle =
            created ? create_certificate(database->slot(), cert, record.nickname)
                    : entry.cert_handle;
        try {
            create_trust(database->slot(), cert, trust_);
        } catch (const Failure& failure) {
            if (created) {
                destroy_object(database->slot(), cert_handle);
            }
            const auto [code, reason] = NssDatabase::diagnose(dir_, failure.what());
            return failed(code, reason);
        }
        return {Outcome::Installed, {}, {}};
    } catch (const Failure& failure) {
        if (failure.code() == "store_failed") {
            const auto [code, reason] = NssDatabase::diagnose(dir_, failure.what());
            return failed(code, reason);
        }
        return failed(failure.code(), failure.what());
    }
}

StoreResult NssStore::remove(const std::string& sha256) {
    try {
        NssDatabase database(dir_, Access::ReadWrite);
        const SlotEntry entry = find_entry(database.slot(), sha256);
        if (!entry.has_cert) {
            return {Outcome::NotPresent, {}, {}};
        }
        if (!is_own_nickname(entry.label)) {
            return failed(kConflict, "The certificate in this database is labelled \"" +
                                         entry.label +
                                         "\": epos-trust did not put it there and leaves it.");
        }
        // Trust first: should the second step fail, what is left is an untrusted certificate,
        // never a trusted one the journal no longer knows about.
        std::vector<unsigned long> trusts = entry.trust_handles;
        trusts.insert(trusts.end(), entry.torn_trust_handles.begin(),
                      entry.torn_trust_handles.end());
        for (unsigned long handle : trusts) {
            if (!destroy_object(database.slot(), handle)) {
                const auto [code, reason] =
                    NssDatabase::diagnose(dir_, "NSS refused to remove the trust");
                return failed(code, reason);
            }
        }
        if (!destroy_object(database.slot(), entry.cert_handle)) {
            const auto [code, reason] =
                NssDatabase::diagnose(dir_, "NSS refused to remove the certificate");
            return failed(code, reason);
        }
        return {Outcome::Removed, {}, {}};
    } catch (const Failure& failure) {
        return failed(failure.code(), failure.what());
    }
}

}  // namespace epos::store::nss
