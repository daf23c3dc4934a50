#pragma once

#include <string>
#include <vector>

#include "store/trust_store.hpp"

struct PK11SlotInfoStr;

namespace epos::store::nss {

using Bytes = std::vector<unsigned char>;

// The attributes NSS keys a certificate and its trust by, taken from the DER the way
// PK11_ImportCert and nssToken_ImportTrust take them (issuer and serial as DER, CKA_ID = SHA-1
// of the public key), so that an entry written here is indistinguishable from one written by
// certutil or the browser.
struct CertAttributes {
    Bytes der;
    Bytes subject;
    Bytes issuer;
    Bytes serial;  // DER INTEGER, tag and length included (CKA_SERIAL_NUMBER)
    Bytes key_id;
    Bytes sha1;
    Bytes md5;
    std::string sha256_hex;
};

// Throws Failure{"certificate_invalid"} when NSS cannot decode the DER.
CertAttributes decode_certificate(const Bytes& der);

// What one slot holds for one certificate (by SHA-256).
struct SlotEntry {
    bool has_cert = false;
    unsigned long cert_handle = 0;
    Bytes der;  // the certificate's CKA_VALUE
    std::string label;
    std::vector<unsigned long> trust_handles;  // CKO_NSS_TRUST objects naming the certificate
    unsigned long server_auth = 0;             // CKA_TRUST_SERVER_AUTH of the first one
    // Trust objects for the certificate's issuer and serial whose CKA_CERT_SHA1_HASH does not
    // read back as the certificate's SHA-1. NSS writes an object into cert9.db and the MACs of
    // its trust attributes into key4.db, two SQLite files, two transactions: a writer killed in
    // between leaves a trust object whose unsigned hash NSS refuses to read, so certutil and the
    // browser see the certificate as untrusted (",,"; measured: tests/faults/kill). Such an
    // object counts as no trust: add() replaces it, remove() deletes it.
    std::vector<unsigned long> torn_trust_handles;
};

SlotEntry find_entry(PK11SlotInfoStr* slot, const std::string& sha256_hex);

// The CKA_TRUST_SERVER_AUTH value of a trust kind, as certutil writes "P,," and "C,,".
unsigned long server_auth_value(TrustKind kind);

// Writes a certificate object labelled `nickname`; returns its handle. Throws Failure.
unsigned long create_certificate(PK11SlotInfoStr* slot, const CertAttributes& cert,
                                 const std::string& nickname);
// Writes the trust object for a certificate; returns its handle. Throws Failure.
unsigned long create_trust(PK11SlotInfoStr* slot, const CertAttributes& cert, TrustKind kind);
// Deletes one object. Returns false when NSS refused.
bool destroy_object(PK11SlotInfoStr* slot, unsigned long handle);

}  // namespace epos::store::nss
